import { readFileSync } from 'node:fs';
import { VERDICT_CODES } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { parseJudgeLm, parseJudgeLmUpstream } from './judgelm-parser.js';
import { extractJudgeLrmSolution, parseJudgeLrm, validateJudgeLrmStructure } from './judgelrm-parser.js';

interface JudgeLmCase {
  text: string;
  scores: [number, number];
  verdict: number;
  ok: boolean;
}
interface RewardCase {
  name: string;
  solution_str: string;
  ground_truth: [number, number] | string;
  format_reward: number;
  answer_reward: number;
  reward_ablation: string;
  response_length: number;
  max_response_length: number;
  reward: number;
}

const judgelm = JSON.parse(
  readFileSync(new URL('../../../fixtures/golden/judgelm-parse.json', import.meta.url), 'utf8'),
) as { cases: JudgeLmCase[] };
const reward = JSON.parse(
  readFileSync(new URL('../../../fixtures/golden/judgelrm-reward.json', import.meta.url), 'utf8'),
) as { cases: RewardCase[] };

describe('golden: JudgeLM parse_score (upstream run on 34 inputs)', () => {
  it('has the 34 recorded cases', () => {
    expect(judgelm.cases).toHaveLength(34);
  });
  for (const c of judgelm.cases) {
    it(`strict ${JSON.stringify(c.text)}`, () => {
      const r = parseJudgeLm(c.text, { mode: 'strict' });
      expect(r.ok).toBe(c.ok);
      expect(r.raw).toBe(c.text);
      if (r.ok) {
        expect(r.value.scores).toEqual(c.scores);
        expect(VERDICT_CODES.judgelm[r.value.verdict]).toBe(c.verdict);
        expect(r.recoveredBy).toEqual([]);
      }
      const up = parseJudgeLmUpstream(c.text);
      expect(up.scores).toEqual(c.scores);
      expect(up.verdictCode).toBe(c.verdict);
    });
  }
});

/**
 * The content/format arithmetic of judgelrm.py compute_score, restated in the test only so the
 * golden rewards check the parser's `<answer>` handling end to end (the reward itself belongs to
 * @judgekit/rewards).
 */
function rewardFromParser(c: RewardCase): number {
  let gt: number[] | null;
  if (Array.isArray(c.ground_truth)) gt = c.ground_truth;
  else {
    const parts = c.ground_truth.split('\n')[0]!.trim().split(/\s+/);
    const ints = parts.map((p) => (/^[+-]?\d+$/.test(p) ? Number(p) : Number.NaN));
    gt = ints.length === 2 && ints.every(Number.isFinite) ? ints : null;
  }
  if (gt === null) return -2.0;
  const sol = extractJudgeLrmSolution(c.solution_str);
  const format = validateJudgeLrmStructure(sol.processed).score * c.format_reward;
  let answer = 0;
  if (format > 0 && sol.scores !== null) {
    const [p1, p2] = sol.scores;
    const [g1, g2] = gt as [number, number];
    let content: number;
    if (g1 >= g2 === p1 >= p2) {
      content = 2.0;
      if (c.reward_ablation !== 'reward_wo_score') {
        const d = Math.abs(g1 - p1) + Math.abs(g2 - p2);
        if (d === 0) content += 1.0;
        else if (d <= 2) content += 0.6;
        if (Math.abs(p2 - p1) >= Math.abs(g2 - g1)) content += 0.2;
      }
    } else content = -1.5;
    answer = content * c.answer_reward;
    if (c.reward_ablation === 'base_reward') {
      const bonus = c.response_length > 120 ? 0.2 : 0.0;
      const penalty = c.response_length >= c.max_response_length ? -1.0 : 0.0;
      answer += bonus + penalty;
    }
  } else answer = -2.0;
  return format + answer;
}

describe('golden: JudgeLRM <answer> handling behind judgelrm-reward.json', () => {
  it('has cases', () => {
    expect(reward.cases.length).toBeGreaterThan(50);
  });
  for (const c of reward.cases) {
    it(`${c.name}`, () => {
      expect(rewardFromParser(c)).toBeCloseTo(c.reward, 12);
      // The strict parser (reward extraction on the full sequence) succeeds exactly when
      // extract_solution returns scores.
      const sol = extractJudgeLrmSolution(c.solution_str);
      const r = parseJudgeLrm(c.solution_str, {
        mode: 'strict',
        extraction: 'reward',
        input: 'full-sequence',
      });
      expect(r.ok).toBe(sol.scores !== null);
      if (r.ok) expect(r.value.scores).toEqual(sol.scores);
      else expect(r.reason).toBe(sol.reason);
    });
  }
});
