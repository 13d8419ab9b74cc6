import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors } from '@judgekit/baselines';
import { DataFormatError } from '@judgekit/core';
import {
  trlGrpoAdvantage,
  trlGrpoLoss,
  verlActorLoss,
  verlGrpoAdvantage,
  verlPolicyLossVanilla,
} from '@judgekit/grpo';
import { createJudgeLrmReward, defineReward } from '@judgekit/rewards';
import { describe, expect, it } from 'vitest';
import { parseRollouts, readRollouts, scoreRollouts, writeScoredRollouts } from './score-rollouts.js';

const FIXTURE = join(__dirname, '../../../fixtures/rollouts/judgelrm-rollouts.jsonl');

async function load() {
  const rollouts = await readRollouts(FIXTURE);
  const rows = rollouts.length;
  const cols = Math.max(...rollouts.map((r) => r.logProbs!.length));
  const pad = (key: 'logProbs' | 'oldLogProbs' | 'refLogProbs') => {
    const a = new Float64Array(rows * cols);
    rollouts.forEach((r, i) => {
      a.set(r[key]!, i * cols);
    });
    return a;
  };
  const mask = new Float64Array(rows * cols);
  rollouts.forEach((r, i) => {
    mask.fill(1, i * cols, i * cols + r.logProbs!.length);
  });
  const reward = createJudgeLrmReward();
  const rewards = Float64Array.from(
    rollouts.map(
      (r) => reward.score({ sequence: r.prompt + r.completion, groundTruth: r.groundTruth }).total,
    ),
  );
  return {
    rollouts,
    rows,
    cols,
    mask,
    lp: pad('logProbs'),
    old: pad('oldLogProbs'),
    ref: pad('refLogProbs'),
    rewards,
  };
}

describe('scoreRollouts', () => {
  it('verl: rewards, advantages, loss and gradients equal the rewards and grpo functions called directly', async () => {
    const { rollouts, rows, cols, mask, lp, old, ref, rewards } = await load();
    const s = scoreRollouts(rollouts, { convention: 'verl' });
    expect(Array.from(s.rewards)).toEqual(Array.from(rewards));
    // rewards are not all equal: the fixture has learning signal
    expect(new Set(rewards).size).toBeGreaterThan(2);
    const tokenRewards = new Float64Array(rows * cols);
    rollouts.forEach((r, i) => {
      tokenRewards[i * cols + r.logProbs!.length - 1] = rewards[i]!;
    });
    const adv = verlGrpoAdvantage({
      tokenLevelRewards: tokenRewards,
      responseMask: mask,
      index: rollouts.map((r) => r.groupId),
      rows,
      cols,
    });
    expect(Array.from(s.tokenAdvantages)).toEqual(Array.from(adv.advantages));
    expect(Array.from(s.advantages)).toEqual(Array.from(adv.scores));
    const actor = verlActorLoss(
      {
        oldLogProb: old,
        logProb: lp,
        refLogProb: ref,
        advantages: adv.advantages,
        responseMask: mask,
        rows,
        cols,
      },
      { useKlLoss: true },
    );
    expect(s.loss).toBe(actor.loss);
    expect(Array.from(s.gradLogProbs)).toEqual(Array.from(actor.gradLogProb));
    expect(Array.from(s.gradRefLogProbs!)).toEqual(Array.from(actor.gradRefLogProb!));
    expect(s.stats.clipFraction).toBe(actor.pgClipfrac);
    expect(s.stats.clipFraction).toBeGreaterThan(0);
    const pg = verlPolicyLossVanilla({
      oldLogProb: old,
      logProb: lp,
      advantages: adv.advantages,
      responseMask: mask,
      rows,
      cols,
    });
    expect(Array.from(s.perTokenLoss)).toEqual(Array.from(pg.pgLosses));
    expect(s.stats.kl).toBeCloseTo(actor.klLoss!, 12);
    expect(s.stats.groups).toHaveLength(4);
    expect(s.stats.missingResponseHeader).toBe(0);
    expect(s.stats.entropy).toBeGreaterThan(0);
    expect(s.stats.responseLength.max).toBe(cols);
  });

  it('trl: advantages and loss equal trlGrpoAdvantage and trlGrpoLoss called directly', async () => {
    const { rollouts, rows, cols, mask, lp, old, ref, rewards } = await load();
    const s = scoreRollouts(rollouts, { convention: 'trl', trl: { beta: 0.04 } });
    const adv = trlGrpoAdvantage(rewards, { numGenerations: 4 });
    expect(Array.from(s.advantages)).toEqual(Array.from(adv.advantages));
    const l = trlGrpoLoss(
      {
        perTokenLogps: lp,
        oldPerTokenLogps: old,
        refPerTokenLogps: ref,
        advantages: adv.advantages,
        mask,
        rows,
        cols,
      },
      { beta: 0.04 },
    );
    expect(s.loss).toBe(l.loss);
    expect(Array.from(s.gradLogProbs)).toEqual(Array.from(l.gradPerTokenLogps!));
    expect(Array.from(s.perTokenLoss)).toEqual(Array.from(l.perTokenLoss));
    // the verl and TRL conventions differ (ε 1e-6 vs 1e-4): naming one matters
    const v = scoreRollouts(rollouts, { convention: 'verl' });
    expect(v.advantages[0]).not.toBe(s.advantages[0]);
  });

  it('TRL needs contiguous groups; the error says so', async () => {
    const { rollouts } = await load();
    const shuffled = [rollouts[0]!, rollouts[4]!, ...rollouts.slice(1, 4), ...rollouts.slice(5)];
    expect(() => scoreRollouts(shuffled, { convention: 'trl' })).toThrow(/contiguous/);
    expect(() => scoreRollouts(shuffled, { convention: 'verl' })).not.toThrow();
  });

  it('counts and warns about rollouts without the response header', () => {
    const text = [
      {
        prompt: 'Score these.',
        completion: '<think>x</think><answer>8</answer><answer>6</answer>',
        group_id: 1,
        ground_truth: '8 6',
      },
      {
        prompt: '<|im_start|>assistant\n',
        completion: '<think>x</think><answer>8</answer><answer>6</answer>',
        group_id: 1,
        ground_truth: '8 6',
      },
    ]
      .map((x) => JSON.stringify(x))
      .join('\n');
    const s = scoreRollouts(parseRollouts(text, 'r.jsonl'), { convention: 'verl' });
    expect(s.stats.missingResponseHeader).toBe(1);
    expect(s.notes.join('\n')).toMatch(/WARNING: 1 of 2 rollouts have no/);
    expect(s.rewards[0]).toBeLessThan(s.rewards[1]!);
    expect(s.notes.join('\n')).toMatch(/no log_probs/);
  });

  it('composes with any reward', () => {
    const text = ['a', 'bb', 'ccc', 'dddd']
      .map((c, i) => JSON.stringify({ prompt: 'p', completion: c, group_id: i < 2 ? 'x' : 'y' }))
      .join('\n');
    const len = defineReward('len', (s) => s.sequence.length, { bounds: { min: 0, max: 100 } });
    const s = scoreRollouts(parseRollouts(text, 'r.jsonl'), { convention: 'verl', reward: len });
    expect(Array.from(s.rewards)).toEqual([2, 3, 4, 5]);
    expect(s.stats.groups.map((g) => g.mean)).toEqual([2.5, 4.5]);
    expect(s.advantages[0]!).toBeLessThan(0);
    expect(s.stats.missingResponseHeader).toBe(0);
  });

  it('bad lines are DataFormatErrors naming file:line and field', () => {
    const ok = { prompt: 'p', completion: 'c', group_id: 1, log_probs: [-1, -2] };
    const cases: [unknown[], RegExp][] = [
      [[ok, { ...ok, prompt: 3 }], /r\.jsonl:2 field `prompt`: expected a string/],
      [[ok, { prompt: 'p', completion: 'c', log_probs: [-1] }], /r\.jsonl:2 field `group_id`: missing/],
      [
        [ok, { ...ok, old_log_probs: [-1] }],
        /r\.jsonl:2 field `old_log_probs`: present, but line 1 has none/,
      ],
      [
        [ok, { prompt: 'p', completion: 'c', group_id: 2 }],
        /r\.jsonl:2 field `log_probs`: missing, but line 1 has it/,
      ],
      [
        [{ ...ok, old_log_probs: [-1, -2, -3] }],
        /r\.jsonl:1 field `old_log_probs`: has 3 tokens but `log_probs` has 2/,
      ],
      [[{ ...ok, log_probs: [-1, 'x'] }], /r\.jsonl:1 field `log_probs\[1\]`/],
      [[{ ...ok, ground_truth: { a: 1 } }], /r\.jsonl:1 field `ground_truth`/],
    ];
    for (const [lines, re] of cases) {
      const text = lines.map((l) => JSON.stringify(l)).join('\n');
      let err: unknown;
      try {
        parseRollouts(text, 'r.jsonl');
      } catch (e) {
        err = e;
      }
      expect(DataFormatError.isInstance(err), String(re)).toBe(true);
      expect((err as Error).message).toMatch(re);
    }
    expect(() => parseRollouts('{"prompt": ', 'r.jsonl')).toThrow(/r\.jsonl:1/);
    // JudgeLRM needs a label on every rollout
    expect(() => scoreRollouts(parseRollouts(JSON.stringify(ok), 'r.jsonl'), { convention: 'verl' })).toThrow(
      /r\.jsonl:1 field `ground_truth`: missing/,
    );
  });

  it('writes JSONL, safetensors and a summary that read back', async () => {
    const { rollouts } = await load();
    const s = scoreRollouts(rollouts, { convention: 'verl' });
    const dir = await mkdtemp(join(tmpdir(), 'judgekit-rollouts-'));
    try {
      const files = await writeScoredRollouts(dir, s, rollouts);
      const st = decodeSafetensors(new Uint8Array(await readFile(files.safetensors)));
      expect(Array.from(st.tensors.grad_log_probs!.data)).toEqual(Array.from(s.gradLogProbs));
      expect(st.tensors.token_advantages!.shape).toEqual([s.rows, s.cols]);
      expect(Array.from(st.tensors['reward.format']!.data)).toEqual(Array.from(s.components.format!));
      expect(JSON.parse(st.metadata.summary!).loss).toBe(s.loss);
      const lines = (await readFile(files.jsonl, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(16);
      expect(lines[3].reward).toBe(s.rewards[3]);
      expect(lines[3].grad_log_probs).toHaveLength(rollouts[3]!.logProbs!.length);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
