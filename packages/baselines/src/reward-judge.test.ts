import { describe, expect, it } from 'vitest';
import { judgelrmSingleResponseText, judgeWithScorer } from './index.js';

describe('judgeWithScorer', () => {
  it('scores both answers alone and maps them to verdicts and score pairs', async () => {
    const seen: string[] = [];
    const scorer = {
      async score(texts: readonly string[]) {
        seen.push(...texts);
        return texts.map((t) => t.length);
      },
    };
    const out = await judgeWithScorer(
      [
        { id: 'a', question: 'q', answer1: 'long answer', answer2: 'short' },
        { id: 'b', question: 'q', answer1: 'same', answer2: 'same' },
      ],
      scorer,
      { onTie: 'answer2' },
    );
    expect(seen[0]).toBe(judgelrmSingleResponseText('q', 'long answer'));
    expect(seen[0]).toBe('<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\nlong answer<|im_end|>');
    expect(out.map((o) => o.verdict)).toEqual(['answer1', 'answer2']);
    expect(out[0]!.scores[0]).toBeGreaterThan(out[0]!.scores[1]);
  });
});
