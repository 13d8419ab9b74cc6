/**
 * The benchmark's completions (shared by `run.ts` and `server-bench.ts`): a deterministic batch,
 * mostly well formed, some malformed, with realistic reasoning lengths, as judgekit samples, as the
 * Python peer's inputs and as an OpenRLHF request body.
 */
import type { RewardSample } from '../src/index.ts';

/** Padded response width the length terms use. */
export const MAX_RESPONSE_LENGTH = 2048;

/** The prompt every sequence starts with (ChatML with the `<think>` generation prefix). */
export const PROMPT =
  '<|im_start|>system\nYou are a helpful assistant. The assistant first performs a detailed, step-by-step reasoning process in its mind and then provides the user with the answer.<|im_end|>\n' +
  '<|im_start|>user\n[Question]\nExplain photosynthesis briefly.\n\n[Assistant 1’s Answer]\nPlants turn light into chemical energy.\n\n[Assistant 2’s Answer]\nIt is a process.\n<|im_end|>\n<|im_start|>assistant\n<think>';

/** `batch` samples from the fixed seed 12345. */
export function makeBenchSamples(batch: number): { samples: RewardSample[]; peerSamples: object[] } {
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const reasoning = 'Assistant 1 is more precise and mentions light energy, while Assistant 2 is vague. ';
  const samples: RewardSample[] = [];
  const peerSamples: object[] = [];
  for (let i = 0; i < batch; i++) {
    const s1 = Math.floor(rand() * 11);
    const s2 = Math.floor(rand() * 11);
    const g = [Math.floor(rand() * 11), Math.floor(rand() * 11)];
    const kind = rand();
    const think = reasoning.repeat(2 + Math.floor(rand() * 10));
    let completion = `${think}</think><answer>${s1}</answer><answer>${s2}</answer><|im_end|>`;
    if (kind < 0.08) completion = `<think>${completion}`;
    else if (kind < 0.14)
      completion = `${think}</think><answer>${s1}.5</answer><answer>${s2}</answer><|im_end|>`;
    else if (kind < 0.18) completion = `${think}</think><answer>${s1} ${s2}</answer><|im_end|>`;
    const label = i % 2 === 0 ? `${g[0]} ${g[1]}\nGPT-4 explanation` : g;
    const responseLength = 60 + Math.floor(rand() * 2100);
    samples.push({
      sequence: PROMPT + completion,
      groundTruth: label,
      responseLength,
      maxResponseLength: MAX_RESPONSE_LENGTH,
    });
    peerSamples.push({
      solution_str: PROMPT + completion,
      ground_truth: label,
      reward_ablation: 'base_reward',
      response_length: responseLength,
      max_response_length: MAX_RESPONSE_LENGTH,
    });
  }
  return { samples, peerSamples };
}

/** The OpenRLHF request body for `samples` (labels as the gold "s1 s2" strings OpenRLHF sends). */
export function openRlhfBody(samples: readonly RewardSample[]): string {
  return JSON.stringify({
    query: samples.map((s) => s.sequence),
    prompts: samples.map(() => PROMPT),
    labels: samples.map((s) =>
      typeof s.groundTruth === 'string'
        ? s.groundTruth
        : `${(s.groundTruth as number[])[0]} ${(s.groundTruth as number[])[1]}`,
    ),
    response_lengths: samples.map((s) => s.responseLength),
  });
}
