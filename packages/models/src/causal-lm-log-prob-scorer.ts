import { AbortedError, InvalidArgumentError, JudgekitError, ModelCallError } from '@judgekit/core';
import { createConcurrencyLimiter } from './concurrency-limiter.js';
import { type LocalOnnxModelOptions, loadLocalOnnxModel } from './transformers-js-loader.js';

/**
 * Log-probabilities of target tokens from next-token logits, in float64 with a stable log-softmax
 * (`x[t] − max − log Σ exp(x − max)`): `out[j] = log softmax(logits[firstRow + j − 1])[targets[j]]`,
 * i.e. row `r` of `logits` (`[rows, vocab]`, row-major) predicts the token at position `r + 1`.
 * `firstRow` is the position of the first target in the sequence (the prompt length, ≥ 1). Same
 * gather as TRL `selective_log_softmax` / verl `logprobs_from_logits` after the usual shift.
 */
export function tokenLogProbsFromLogits(
  logits: ArrayLike<number>,
  vocab: number,
  targets: ArrayLike<number>,
  firstRow: number,
): Float64Array {
  const n = targets.length;
  if (!(Number.isInteger(firstRow) && firstRow >= 1)) {
    throw new InvalidArgumentError('firstRow', `must be an integer >= 1, got ${firstRow}`);
  }
  if (logits.length < (firstRow + n - 1) * vocab) {
    throw new InvalidArgumentError(
      'logits',
      `holds ${logits.length} values, fewer than ${(firstRow + n - 1) * vocab}`,
    );
  }
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const base = (firstRow + j - 1) * vocab;
    const t = targets[j]!;
    if (!(Number.isInteger(t) && t >= 0 && t < vocab)) {
      throw new InvalidArgumentError(`targets[${j}]`, `token id ${t} outside [0, ${vocab})`);
    }
    let max = Number.NEGATIVE_INFINITY;
    for (let v = 0; v < vocab; v++) {
      const x = logits[base + v]!;
      if (x > max) max = x;
    }
    let sum = 0;
    for (let v = 0; v < vocab; v++) sum += Math.exp(logits[base + v]! - max);
    out[j] = logits[base + t]! - max - Math.log(sum);
  }
  return out;
}

/** Options of {@link createCausalLmLogProbScorer}. */
export interface CausalLmLogProbScorerOptions extends LocalOnnxModelOptions {
  /** Add the tokenizer's special tokens (e.g. BOS) before the prompt (default true). Never added to the completion. */
  addSpecialTokens?: boolean;
}

/** Per-token log-probabilities of completions under a local causal LM (for DPO / SPIN-style baselines). */
export interface CausalLmLogProbScorer {
  readonly id: string;
  /** Token ids of `text` as the scorer tokenizes it (`addSpecialTokens` default false). */
  tokenize(text: string, options?: { addSpecialTokens?: boolean }): number[];
  /**
   * `log p(completion_j | prompt, completion_<j)` for each completion token, natural log, float64;
   * length = number of completion tokens (0 for `''`). Prompt and completion are tokenized
   * separately and concatenated (prompt with special tokens per `addSpecialTokens`, completion
   * without), so the boundary is exact, as TRL's DPO tokenization does; one forward pass.
   */
  sequenceLogProbs(
    prompt: string,
    completion: string,
    options?: { signal?: AbortSignal },
  ): Promise<Float64Array>;
}

/**
 * Load a local ONNX causal LM (transformers.js `AutoModelForCausalLM`, onnxruntime-node, CPU,
 * offline — loading rules as {@link createTransformersJsModel}) as a log-prob scorer. Logits (fp16
 * or fp32) are widened to float64 before {@link tokenLogProbsFromLogits}. Calls run one at a time.
 * Rejects like {@link createTransformersJsModel}; `sequenceLogProbs` rejects with
 * `InvalidArgumentError` when the prompt has no tokens (nothing to condition the first token on).
 */
export async function createCausalLmLogProbScorer(
  options: CausalLmLogProbScorerOptions,
): Promise<CausalLmLogProbScorer> {
  const { tf, tokenizer, model, id } = await loadLocalOnnxModel(options, 'causal LM', (tf, dir, load) =>
    tf.AutoModelForCausalLM.from_pretrained(dir, load),
  );
  const addSpecial = options.addSpecialTokens ?? true;
  const limiter = createConcurrencyLimiter(1);

  const tokenize = (text: string, addSpecialTokens = false): number[] =>
    tokenizer.encode(text, { add_special_tokens: addSpecialTokens });

  const run = async (
    prompt: string,
    completion: string,
    signal: AbortSignal | undefined,
  ): Promise<Float64Array> => {
    if (typeof prompt !== 'string') throw new InvalidArgumentError('prompt', 'must be a string');
    if (typeof completion !== 'string') throw new InvalidArgumentError('completion', 'must be a string');
    const p = tokenize(prompt, addSpecial);
    const c = tokenize(completion, false);
    if (p.length === 0)
      throw new InvalidArgumentError('prompt', 'tokenizes to zero tokens; nothing to condition on');
    if (c.length === 0) return new Float64Array(0);
    const total = p.length + c.length;
    const ids = new BigInt64Array(total);
    for (let i = 0; i < p.length; i++) ids[i] = BigInt(p[i]!);
    for (let i = 0; i < c.length; i++) ids[p.length + i] = BigInt(c[i]!);
    const mask = new BigInt64Array(total).fill(1n);
    let logits: { dims: number[]; to(type: 'float32'): { data: Float32Array } };
    try {
      const out = (await model({
        input_ids: new tf.Tensor('int64', ids, [1, total]),
        attention_mask: new tf.Tensor('int64', mask, [1, total]),
      } as never)) as { logits: typeof logits };
      logits = out.logits;
    } catch (error) {
      if (JudgekitError.isInstance(error)) throw error;
      const why = error instanceof Error ? error.message : String(error);
      throw new ModelCallError(`causal LM "${id}" forward failed: ${why}`, { cause: error });
    }
    if (signal?.aborted) throw new AbortedError('log-prob call', { cause: signal.reason });
    const [b, s, vocab] = logits.dims;
    if (b !== 1 || s !== total || vocab === undefined) {
      throw new ModelCallError(
        `causal LM "${id}" returned logits [${logits.dims.join(', ')}], expected [1, ${total}, vocab]`,
      );
    }
    return tokenLogProbsFromLogits(logits.to('float32').data, vocab, c, p.length);
  };

  return {
    id,
    tokenize(text, opts = {}) {
      return tokenize(text, opts.addSpecialTokens ?? false);
    },
    sequenceLogProbs(prompt, completion, opts = {}) {
      return limiter.run(() => run(prompt, completion, opts.signal), opts.signal);
    },
  };
}
