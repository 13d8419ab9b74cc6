import { fileURLToPath } from 'node:url';
import { ConfigError, InvalidArgumentError } from '@judgekit/core';
import { AutoModelForCausalLM, AutoTokenizer, Tensor } from '@huggingface/transformers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CausalLmLogProbScorer,
  createCausalLmLogProbScorer,
  tokenLogProbsFromLogits,
} from './causal-lm-log-prob-scorer.js';

const modelPath = fileURLToPath(new URL('../../../fixtures/models/tiny-phi3-gqa', import.meta.url));

/** Naive reference: log(exp(x_t) / Σ exp(x_v)) without max-shift (fine for small logits). */
function naiveLogProb(row: ArrayLike<number>, t: number): number {
  let s = 0;
  for (let v = 0; v < row.length; v++) s += Math.exp(row[v]!);
  return Math.log(Math.exp(row[t]!) / s);
}

describe('tokenLogProbsFromLogits', () => {
  it('matches a naive log-softmax and is stable for huge logits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 3 }),
        (logits, t1, t2) => {
          const out = tokenLogProbsFromLogits(logits, 4, [t1, t2], 1);
          expect(out[0]).toBeCloseTo(naiveLogProb(logits.slice(0, 4), t1), 10);
          expect(out[1]).toBeCloseTo(naiveLogProb(logits.slice(4, 8), t2), 10);
        },
      ),
    );
    const big = tokenLogProbsFromLogits([1000, 1000, 0, 0], 2, [0], 1);
    expect(big[0]).toBeCloseTo(-Math.LN2, 12);
  });
  it('rejects out-of-range targets and rows', () => {
    expect(() => tokenLogProbsFromLogits([0, 0], 2, [2], 1)).toThrow(InvalidArgumentError);
    expect(() => tokenLogProbsFromLogits([0, 0], 2, [0], 0)).toThrow(InvalidArgumentError);
    expect(() => tokenLogProbsFromLogits([0, 0], 2, [0, 1], 1)).toThrow(InvalidArgumentError);
  });
});

describe('createCausalLmLogProbScorer (tiny-phi3-gqa fixture, random weights)', () => {
  let scorer: CausalLmLogProbScorer;
  beforeAll(async () => {
    scorer = await createCausalLmLogProbScorer({ modelPath });
  });

  it('returns completion-length arrays of finite negative log-probs, deterministically', async () => {
    const prompt = 'Question: which is better?';
    const completion = ' Answer 1 is better.';
    const lp = await scorer.sequenceLogProbs(prompt, completion);
    expect(lp).toBeInstanceOf(Float64Array);
    expect(lp.length).toBe(scorer.tokenize(completion).length);
    expect(lp.length).toBeGreaterThan(5);
    for (const v of lp) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeLessThan(0);
    }
    const again = await scorer.sequenceLogProbs(prompt, completion);
    expect(Array.from(again)).toEqual(Array.from(lp));
    expect((await scorer.sequenceLogProbs(prompt, '')).length).toBe(0);
  });

  it('sum matches a direct forward pass of the same model with a naive log-softmax', async () => {
    const prompt = 'The judge says';
    const completion = ' tie.';
    const lp = await scorer.sequenceLogProbs(prompt, completion);
    const tok = await AutoTokenizer.from_pretrained(modelPath, { local_files_only: true });
    const model = await AutoModelForCausalLM.from_pretrained(modelPath, {
      local_files_only: true,
      dtype: 'fp16',
    });
    const ids = tok.encode(prompt + completion);
    const p = tok.encode(prompt).length;
    const n = ids.length;
    const out = (await model({
      input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
      attention_mask: new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
    })) as { logits: Tensor };
    const logits = out.logits.to('float32').data as Float32Array;
    const vocab = out.logits.dims[2]!;
    let direct = 0;
    for (let j = p; j < n; j++) direct += naiveLogProb(logits.subarray((j - 1) * vocab, j * vocab), ids[j]!);
    expect(n - p).toBe(lp.length);
    const sum = lp.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(direct, 9);
  });

  it('rejects an empty prompt; missing folder names the path', async () => {
    await expect(scorer.sequenceLogProbs('', 'x')).rejects.toBeInstanceOf(InvalidArgumentError);
    const missing = `${modelPath}/nope`;
    const err = await createCausalLmLogProbScorer({ modelPath: missing }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain(missing);
  });
});
