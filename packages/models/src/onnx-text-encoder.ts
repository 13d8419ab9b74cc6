import { AbortedError, InvalidArgumentError, JudgekitError, ModelCallError } from '@judgekit/core';
import { createConcurrencyLimiter } from './concurrency-limiter.js';
import { type LocalOnnxModelOptions, loadLocalOnnxModel } from './transformers-js-loader.js';

/** Options of {@link createOnnxTextEncoder}. */
export interface OnnxTextEncoderOptions extends LocalOnnxModelOptions {
  /** Texts per forward pass (default 16); each batch is padded to its longest member. */
  batchSize?: number;
  /** Truncate inputs to this many tokens (default: the tokenizer's `model_max_length`). */
  maxLength?: number;
  /**
   * Graph output holding the per-token hidden states `[batch, sequence, hidden]` (default
   * `last_hidden_state`, the output name of a transformers.js / Optimum `feature-extraction` export).
   */
  output?: string;
  /**
   * `'mean'` (default): the mean of the hidden states of the tokens whose attention mask is 1
   * (sentence-transformers' mean pooling); `'cls'`: the first token's hidden state.
   */
  pooling?: 'mean' | 'cls';
}

/** Embeddings of a batch: row-major `[rows, cols]` = `[texts, hidden]`, float64. */
export interface TextEmbeddings {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** A local ONNX encoder turning texts into pooled hidden states (features for heads, similarity, …). */
export interface OnnxTextEncoder {
  readonly id: string;
  /** `'mean'` or `'cls'`. */
  readonly pooling: 'mean' | 'cls';
  /** One pooled row per text, `[texts.length, hidden]`. Deterministic: the same text gives the same row. */
  embed(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<TextEmbeddings>;
}

interface HiddenTensor {
  dims: number[];
  to(type: 'float32'): { data: Float32Array };
}

/**
 * Load a local ONNX encoder with transformers.js `AutoModel` (onnxruntime-node, CPU, offline —
 * `local_files_only`, never the hub; see {@link createTransformersJsModel} for the loading rules)
 * and its tokenizer. Texts are tokenized with special tokens, padded per batch and truncated; the
 * hidden states of `output` are pooled in float64 over the attention mask. Calls run one at a time.
 *
 * Rejects like {@link createTransformersJsModel}; `InvalidArgumentError` for a bad `batchSize` or
 * `pooling`; `ModelCallError` when the graph has no `output` (naming the outputs it has) or a
 * forward pass fails.
 */
export async function createOnnxTextEncoder(options: OnnxTextEncoderOptions): Promise<OnnxTextEncoder> {
  const batchSize = options.batchSize ?? 16;
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw new InvalidArgumentError('batchSize', `must be an integer >= 1, got ${batchSize}`);
  const pooling = options.pooling ?? 'mean';
  if (pooling !== 'mean' && pooling !== 'cls')
    throw new InvalidArgumentError('pooling', `must be "mean" or "cls", got ${JSON.stringify(pooling)}`);
  const outputName = options.output ?? 'last_hidden_state';
  const { tokenizer, model, id } = await loadLocalOnnxModel(options, 'encoder', (tf, dir, load) =>
    tf.AutoModel.from_pretrained(dir, load),
  );
  const limiter = createConcurrencyLimiter(1);

  const forward = async (
    texts: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<TextEmbeddings> => {
    if (!Array.isArray(texts)) throw new InvalidArgumentError('texts', 'must be an array of strings');
    texts.forEach((t, i) => {
      if (typeof t !== 'string') throw new InvalidArgumentError(`texts[${i}]`, 'must be a string');
    });
    let data = new Float64Array(0);
    let hidden = -1;
    for (let start = 0; start < texts.length; start += batchSize) {
      if (signal?.aborted) throw new AbortedError('encoder call', { cause: signal.reason });
      const batch = texts.slice(start, start + batchSize) as string[];
      const tokOptions: Record<string, unknown> = { padding: true, truncation: true };
      if (options.maxLength !== undefined) tokOptions.max_length = options.maxLength;
      let states: HiddenTensor;
      let mask: { data: ArrayLike<bigint | number>; dims: number[] };
      try {
        const enc = tokenizer(batch, tokOptions as never) as unknown as { attention_mask: typeof mask };
        mask = enc.attention_mask;
        const out = (await model(enc as never)) as Record<string, HiddenTensor | undefined>;
        const got = out[outputName];
        if (got === undefined)
          throw new ModelCallError(
            `encoder "${id}" has no output "${outputName}" (its outputs: ${Object.keys(out).join(', ')}); export the encoder for feature extraction (e.g. optimum-cli export onnx --task feature-extraction) or name the hidden-state output with \`output\``,
          );
        states = got;
      } catch (error) {
        if (JudgekitError.isInstance(error)) throw error;
        const why = error instanceof Error ? error.message : String(error);
        throw new ModelCallError(`encoder "${id}" failed: ${why}`, { cause: error });
      }
      const [rows, seq, dim] = states.dims as [number, number, number];
      if (states.dims.length !== 3 || rows !== batch.length || mask.dims[1] !== seq) {
        throw new ModelCallError(
          `encoder "${id}" output "${outputName}" is [${states.dims.join(', ')}], expected [${batch.length}, ${mask.dims[1]}, hidden]`,
        );
      }
      if (hidden === -1) {
        hidden = dim;
        data = new Float64Array(texts.length * hidden);
      }
      const values = states.to('float32').data;
      for (let r = 0; r < rows; r++) {
        const row = data.subarray((start + r) * hidden, (start + r + 1) * hidden);
        if (pooling === 'cls') {
          for (let j = 0; j < hidden; j++) row[j] = values[r * seq * hidden + j] as number;
          continue;
        }
        let count = 0;
        for (let t = 0; t < seq; t++) {
          if (Number(mask.data[r * seq + t]) === 0) continue;
          count++;
          const base = (r * seq + t) * hidden;
          for (let j = 0; j < hidden; j++) row[j] = (row[j] as number) + (values[base + j] as number);
        }
        // sentence-transformers clamps the token count at 1e-9; a tokenized text has ≥ 1 token
        const inv = 1 / Math.max(count, 1e-9);
        for (let j = 0; j < hidden; j++) row[j] = (row[j] as number) * inv;
      }
    }
    return { data, rows: texts.length, cols: Math.max(hidden, 0) };
  };

  return {
    id,
    pooling,
    embed(texts, opts = {}) {
      return limiter.run(() => forward(texts, opts.signal), opts.signal);
    },
  };
}
