/**
 * Judge-head features from a local ONNX encoder through @judgekit/models: the texts a head sees
 * are embedded once (`createOnnxTextEncoder`: the last hidden state mean-pooled over the attention
 * mask, float64), then served to {@link trainJudgeHead} by a synchronous {@link TextFeaturizer}.
 *
 * @module
 */
import { InvalidArgumentError, type PairwiseSample } from '@judgekit/core';
import { createOnnxTextEncoder, type OnnxTextEncoderOptions } from '@judgekit/models';
import type { TextFeaturizer } from './train-head.js';

/** Options of {@link createOnnxFeaturizer}. */
export interface OnnxFeaturizerOptions extends OnnxTextEncoderOptions {
  /** Every text the featurizer will be asked for (e.g. {@link judgeHeadTexts}); embedded up front. */
  texts: readonly string[];
  /** Called after each embedded batch with (done, total) unique texts. */
  onProgress?: (done: number, total: number) => void;
  /** Aborts the embedding. */
  signal?: AbortSignal;
}

/** The texts {@link trainJudgeHead} featurizes for these samples: `formatAnswer(question, answer)` for both answers. */
export function judgeHeadTexts(
  samples: readonly PairwiseSample[],
  formatAnswer: (question: string, answer: string) => string = (q, a) => `${q}\n\n${a}`,
): string[] {
  return samples.flatMap((s) => [formatAnswer(s.question, s.answer1), formatAnswer(s.question, s.answer2)]);
}

/**
 * Embed `texts` with a local ONNX encoder (offline: local files only) and return a featurizer
 * over them: `dim` = the encoder's hidden size, `description` = `onnx:<model folder>` plus the
 * pooling. Deterministic (the same text always gives the same row). Asking it for a text that was
 * not embedded throws `InvalidArgumentError` naming the text. Rejects like `createOnnxTextEncoder`
 * (a missing `@huggingface/transformers` is a `NotSupportedError` with an install hint; a folder
 * that does not load is a `ConfigError`).
 */
export async function createOnnxFeaturizer(options: OnnxFeaturizerOptions): Promise<TextFeaturizer> {
  const { texts, onProgress, signal, ...encoderOptions } = options;
  const unique = [...new Set(texts)];
  if (unique.length === 0) throw new InvalidArgumentError('texts', 'needs at least one text to embed');
  const encoder = await createOnnxTextEncoder(encoderOptions);
  const chunk = Math.max(1, (encoderOptions.batchSize ?? 16) * 4);
  const table = new Map<string, Float64Array>();
  let dim = 0;
  for (let start = 0; start < unique.length; start += chunk) {
    const part = unique.slice(start, start + chunk);
    const e = await encoder.embed(part, signal === undefined ? {} : { signal });
    dim = e.cols;
    part.forEach((t, i) => {
      table.set(t, e.data.slice(i * dim, (i + 1) * dim));
    });
    onProgress?.(Math.min(start + chunk, unique.length), unique.length);
  }
  return {
    dim,
    description: `onnx:${encoder.id}:${encoder.pooling}`,
    featurize(list) {
      const out = new Float64Array(list.length * dim);
      list.forEach((t, i) => {
        const row = table.get(t);
        if (row === undefined)
          throw new InvalidArgumentError(
            'texts',
            `no ONNX features for ${JSON.stringify(t.slice(0, 80))}: pass every text to createOnnxFeaturizer({ texts }) (judgeHeadTexts(samples) lists those trainJudgeHead needs)`,
          );
        out.set(row, i * dim);
      });
      return out;
    },
  };
}
