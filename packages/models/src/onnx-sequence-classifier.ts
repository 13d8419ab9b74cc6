import { AbortedError, InvalidArgumentError, JudgekitError, ModelCallError } from '@judgekit/core';
import { createConcurrencyLimiter } from './concurrency-limiter.js';
import { type LocalOnnxModelOptions, loadLocalOnnxModel } from './transformers-js-loader.js';

/** A (first, second) text pair for cross-encoders: tokenized as `[CLS] a [SEP] b [SEP]` (BERT) or the model's pair format. */
export type TextPair = readonly [string, string];

/** Options of {@link createOnnxSequenceClassifier}. */
export interface OnnxSequenceClassifierOptions extends LocalOnnxModelOptions {
  /** Texts per forward pass (default 16); each batch is padded to its longest member. */
  batchSize?: number;
  /** Truncate inputs to this many tokens (default: the tokenizer's `model_max_length`). */
  maxLength?: number;
  /**
   * Which logit `score` returns, by index or by `id2label` name. Default: the only one for a
   * 1-label head (reward models, cross-encoders), else the last label (the positive class of a
   * binary classifier, e.g. SST-2 `POSITIVE`).
   */
  scoreLabel?: number | string;
}

/** Logits of a batch: row-major `[rows, cols]` = `[inputs, labels]`, float64. */
export interface ClassifierLogits {
  data: Float64Array;
  rows: number;
  cols: number;
}

/**
 * A sequence classifier (reward model, cross-encoder, classifier head) scoring texts or text pairs.
 * Structurally a `TextScorer` of `@judgekit/baselines` (`score(texts, { signal }) → ArrayLike<number>`).
 */
export interface OnnxSequenceClassifier {
  readonly id: string;
  /** Label names in logit order (`config.json` `id2label`; `LABEL_i` when absent). */
  readonly labels: readonly string[];
  /** Index of the logit that {@link OnnxSequenceClassifier.score} returns. */
  readonly scoreIndex: number;
  /** One score per input: the raw logit at `scoreIndex` (no sigmoid / softmax), float64. */
  score(
    inputs: readonly string[] | readonly TextPair[],
    options?: { signal?: AbortSignal },
  ): Promise<Float64Array>;
  /** All logits, `[inputs.length, labels.length]`. */
  logits(
    inputs: readonly string[] | readonly TextPair[],
    options?: { signal?: AbortSignal },
  ): Promise<ClassifierLogits>;
}

/**
 * Load a local ONNX `*ForSequenceClassification` model with transformers.js
 * `AutoModelForSequenceClassification` (onnxruntime-node, CPU, offline — see
 * {@link createTransformersJsModel} for the loading rules) and its tokenizer. Inputs are tokenized
 * with special tokens, padded per batch and truncated; pairs go through the tokenizer's `text_pair`.
 * Calls on one classifier run one at a time.
 *
 * Rejects like {@link createTransformersJsModel}; `InvalidArgumentError` for a bad `scoreLabel` or
 * `batchSize`.
 */
export async function createOnnxSequenceClassifier(
  options: OnnxSequenceClassifierOptions,
): Promise<OnnxSequenceClassifier> {
  const batchSize = options.batchSize ?? 16;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new InvalidArgumentError('batchSize', `must be an integer >= 1, got ${batchSize}`);
  }
  const { tokenizer, model, id } = await loadLocalOnnxModel(options, 'sequence classifier', (tf, dir, load) =>
    tf.AutoModelForSequenceClassification.from_pretrained(dir, load),
  );
  const config = model.config as unknown as { id2label?: Record<string, string>; num_labels?: number };
  const id2label = config.id2label ?? {};
  let numLabels = Object.keys(id2label).length;
  if (numLabels === 0) numLabels = config.num_labels ?? 1;
  const labels: string[] = [];
  for (let i = 0; i < numLabels; i++) labels.push(id2label[String(i)] ?? `LABEL_${i}`);

  let scoreIndex: number;
  if (options.scoreLabel === undefined) scoreIndex = numLabels - 1;
  else if (typeof options.scoreLabel === 'number') scoreIndex = options.scoreLabel;
  else scoreIndex = labels.indexOf(options.scoreLabel);
  if (!(Number.isInteger(scoreIndex) && scoreIndex >= 0 && scoreIndex < numLabels)) {
    throw new InvalidArgumentError(
      'scoreLabel',
      `${JSON.stringify(options.scoreLabel)} is not one of the labels ${JSON.stringify(labels)} or an index below ${numLabels}`,
    );
  }
  const limiter = createConcurrencyLimiter(1);

  const forward = async (
    inputs: readonly string[] | readonly TextPair[],
    signal: AbortSignal | undefined,
  ): Promise<ClassifierLogits> => {
    if (!Array.isArray(inputs))
      throw new InvalidArgumentError('inputs', 'must be an array of texts or text pairs');
    const n = inputs.length;
    const data = new Float64Array(n * numLabels);
    for (let start = 0; start < n; start += batchSize) {
      if (signal?.aborted) throw new AbortedError('classifier call', { cause: signal.reason });
      const batch = inputs.slice(start, start + batchSize) as ReadonlyArray<string | TextPair>;
      const first: string[] = [];
      const second: string[] = [];
      for (let i = 0; i < batch.length; i++) {
        const item = batch[i];
        if (typeof item === 'string') first.push(item);
        else if (Array.isArray(item) && typeof item[0] === 'string' && typeof item[1] === 'string') {
          first.push(item[0]);
          second.push(item[1]);
        } else {
          throw new InvalidArgumentError(
            `inputs[${start + i}]`,
            'must be a string or a [string, string] pair',
          );
        }
      }
      if (second.length !== 0 && second.length !== first.length) {
        throw new InvalidArgumentError('inputs', 'mixes single texts and pairs in one call');
      }
      const tokOptions: Record<string, unknown> = { padding: true, truncation: true };
      if (second.length > 0) tokOptions.text_pair = second;
      if (options.maxLength !== undefined) tokOptions.max_length = options.maxLength;
      let logits: { dims: number[]; to(type: 'float32'): { data: Float32Array } };
      try {
        const enc = tokenizer(first, tokOptions as never);
        const out = (await model(enc as never)) as { logits: typeof logits };
        logits = out.logits;
      } catch (error) {
        if (JudgekitError.isInstance(error)) throw error;
        const why = error instanceof Error ? error.message : String(error);
        throw new ModelCallError(`sequence classifier "${id}" failed: ${why}`, { cause: error });
      }
      const rows = logits.dims[0];
      const cols = logits.dims[1];
      if (rows !== batch.length || cols !== numLabels) {
        throw new ModelCallError(
          `sequence classifier "${id}" returned logits [${logits.dims.join(', ')}], expected [${batch.length}, ${numLabels}]`,
        );
      }
      const values = logits.to('float32').data;
      data.set(values, start * numLabels);
    }
    return { data, rows: n, cols: numLabels };
  };

  return {
    id,
    labels,
    scoreIndex,
    logits(inputs, opts = {}) {
      return limiter.run(() => forward(inputs, opts.signal), opts.signal);
    },
    async score(inputs, opts = {}) {
      const l = await limiter.run(() => forward(inputs, opts.signal), opts.signal);
      const out = new Float64Array(l.rows);
      for (let i = 0; i < l.rows; i++) out[i] = l.data[i * l.cols + scoreIndex]!;
      return out;
    },
  };
}
