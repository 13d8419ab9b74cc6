import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PairwiseSample } from '@judgekit/core';
import { loadRewardBenchPairs, readJsonl } from '@judgekit/datasets';
import { parseJudgeLm } from '@judgekit/parsers';
import { describe, expect, it } from 'vitest';
import {
  dpoPairsFromRewards,
  dpoPairsFromVerdicts,
  makeJudgeLmSftData,
  spinRoundData,
  swapJudgeLmJudgment,
  writeJsonlRows,
} from './make-data.js';

const pair = (i: number, extra: Partial<PairwiseSample> = {}): PairwiseSample => ({
  id: `q${i}`,
  question: `Question ${i}?`,
  answer1: `first answer ${i}`,
  answer2: `second answer ${i}`,
  ...extra,
});

describe('JudgeLM SFT data', () => {
  it('swaps the judgment as judgelm/train/train.py does', () => {
    expect(swapJudgeLmJudgment("2 8\nAssistant 1's answer is vague; Assistant 2 is precise.")).toBe(
      "8 2\nAssistant 2's answer is vague; Assistant 1 is precise.",
    );
    // upstream's rule is only right for a two-token first line: reproduced, not fixed
    expect(swapJudgeLmJudgment('1 2 3\nx')).toBe('2 3 1\nx');
  });

  it('swap = 1: answers and judgment swap together; the target stays consistent with the prompt', () => {
    const src = [{ sample: pair(1), text: '3 9\nAssistant 2 is better.' }];
    const { rows, stats } = makeJudgeLmSftData(src, { seed: 1, swapAugRatio: 1, refDropRatio: -1 });
    const row = rows[0] as { prompt: string; completion: string; swapped: boolean };
    expect(row.swapped).toBe(true);
    expect(row.completion).toBe('9 3\nAssistant 1 is better.');
    expect(row.prompt.indexOf('second answer 1')).toBeLessThan(row.prompt.indexOf('first answer 1'));
    expect(row.prompt.endsWith('### Response:')).toBe(true);
    expect(stats).toEqual({ rows: 1, swapped: 1, withReference: 0, referenceUnavailable: 0 });
  });

  it('reference support uses text_w_reference and the with-reference prompt', () => {
    const src = [
      { sample: pair(1, { reference: 'gold' }), text: '3 9\nno ref', textWithReference: '1 5\n\nwith ref' },
      { sample: pair(2), text: '3 9\nno ref' },
    ];
    const { rows, stats } = makeJudgeLmSftData(src, {
      seed: 1,
      swapAugRatio: 0,
      refDropRatio: 1,
      format: 'messages',
    });
    const m = rows[0] as { messages: { role: string; content: string }[]; with_reference: boolean };
    expect(m.with_reference).toBe(true);
    expect(m.messages.at(-1)).toEqual({ role: 'assistant', content: '1 5\n\nwith ref' });
    expect(m.messages[0]!.content).toContain('[Reference Answer]\ngold\n\n');
    expect(stats.referenceUnavailable).toBe(1);
  });

  it('ratios of 0.5 give about half, deterministically per seed', () => {
    const src = Array.from({ length: 400 }, (_, i) => ({
      sample: pair(i, { reference: 'r' }),
      text: '3 9\nx',
      textWithReference: '2 9\ny',
    }));
    const a = makeJudgeLmSftData(src, { seed: 7 });
    expect(a.stats.swapped / 400).toBeGreaterThan(0.4);
    expect(a.stats.swapped / 400).toBeLessThan(0.6);
    expect(a.stats.withReference / 400).toBeGreaterThan(0.4);
    expect(a.stats.withReference / 400).toBeLessThan(0.6);
    expect(makeJudgeLmSftData(src, { seed: 7 }).rows).toEqual(a.rows);
    expect(makeJudgeLmSftData(src, { seed: 8 }).rows).not.toEqual(a.rows);
    // every target's scores agree with the displayed order
    for (const r of a.rows as { completion: string; swapped: boolean; with_reference: boolean }[]) {
      const s = parseJudgeLm(r.completion);
      const want = r.with_reference ? [2, 9] : [3, 9];
      expect(s.ok && s.value.scores).toEqual(r.swapped ? [want[1], want[0]] : want);
    }
  });

  it('verdict-only pairs need a named score convention', () => {
    const src = [{ sample: pair(1) }, { sample: pair(2) }];
    expect(() => makeJudgeLmSftData(src, { seed: 0 }, ['answer2', 'tie'])).toThrow(/verdictScores/);
    const { rows } = makeJudgeLmSftData(
      src,
      { seed: 0, swapAugRatio: 0, refDropRatio: -1, verdictScores: { winner: 8, loser: 4, tie: 6 } },
      ['answer2', 'tie'],
    );
    expect(rows.map((r) => (r as { completion: string }).completion)).toEqual(['4 8', '6 6']);
  });
});

describe('preference data', () => {
  it('best vs worst per group, with a margin filter', () => {
    const items = [
      { prompt: 'p1', completion: 'a', groupId: 1, reward: 1 },
      { prompt: 'p1', completion: 'b', groupId: 1, reward: 3 },
      { prompt: 'p1', completion: 'c', groupId: 1, reward: -2 },
      { prompt: 'p2', completion: 'd', groupId: 2, reward: 0.5 },
      { prompt: 'p2', completion: 'e', groupId: 2, reward: 0.4 },
      { prompt: 'p3', completion: 'f', groupId: 3, reward: 1 },
      { prompt: 'p3', completion: 'g', groupId: 3, reward: 1 },
      { prompt: 'p4', completion: 'h', groupId: 4, reward: 1 },
    ];
    const { rows, stats } = dpoPairsFromRewards(items, { minMargin: 0.5 });
    expect(rows).toEqual([{ id: '1', prompt: 'p1', chosen: 'b', rejected: 'c', margin: 5 }]);
    expect(stats).toEqual({ groups: 4, pairs: 1, belowMargin: 2, unusable: 1 });
    expect(dpoPairsFromRewards(items).rows).toHaveLength(2);
  });

  it('winner vs loser from verdicts; ties and unlabelled dropped', () => {
    const samples = [pair(1, { scores: [8, 2] }), pair(2, { scores: [5, 6] }), pair(3), pair(4)];
    const { rows, stats } = dpoPairsFromVerdicts(samples, ['answer1', 'answer2', 'tie', null], {
      minScoreMargin: 2,
    });
    expect(rows).toEqual([
      { id: 'q1', prompt: 'Question 1?', chosen: 'first answer 1', rejected: 'second answer 1', margin: 6 },
    ]);
    expect(stats).toEqual({ groups: 4, pairs: 1, belowMargin: 2, unusable: 1 });
  });

  it('SPIN round t uses the published data rounds and settings', () => {
    const sft = [
      { prompt: 'a', completion: 'gold a' },
      { prompt: 'b', completion: 'gold b' },
    ];
    const gens = new Map([
      [
        0,
        [
          { prompt: 'b', completion: 'r0 b' },
          { prompt: 'a', completion: 'r0 a' },
        ],
      ],
      [
        1,
        [
          { prompt: 'a', completion: 'r1 a' },
          { prompt: 'b', completion: 'r1 b' },
        ],
      ],
    ]);
    const { rows, round } = spinRoundData(1, sft, gens);
    expect(round).toMatchObject({ iteration: 1, beta: 0.1, dataRounds: [0, 1] });
    expect(rows.map((r) => [r.round, r.prompt, r.chosen, r.rejected])).toEqual([
      [0, 'a', 'gold a', 'r0 a'],
      [0, 'b', 'gold b', 'r0 b'],
      [1, 'a', 'gold a', 'r1 a'],
      [1, 'b', 'gold b', 'r1 b'],
    ]);
    expect(() => spinRoundData(2, sft, gens)).toThrow(/data round 2/);
  });
});

describe('round trip through @judgekit/datasets', () => {
  it('SFT and preference JSONL load back unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jk-data-'));
    try {
      const sft = makeJudgeLmSftData(
        Array.from({ length: 20 }, (_, i) => ({
          sample: pair(i, { reference: 'ref "quoted"\nline' }),
          text: `${i % 10} 5\nAssistant 1 ✓`,
        })),
        { seed: 3 },
      ).rows;
      await writeJsonlRows(join(dir, 'sft', 'train.jsonl'), sft);
      expect((await readJsonl(join(dir, 'sft', 'train.jsonl'))).map((l) => l.value)).toEqual(sft);
      const prefs = dpoPairsFromVerdicts([pair(1), pair(2)], ['answer2', 'answer1']).rows;
      await writeJsonlRows(join(dir, 'dpo.jsonl'), prefs);
      const back = await loadRewardBenchPairs(join(dir, 'dpo.jsonl'));
      expect(back.map(({ id, prompt, chosen, rejected }) => ({ id, prompt, chosen, rejected }))).toEqual(
        prefs,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
