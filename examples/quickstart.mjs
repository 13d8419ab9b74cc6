#!/usr/bin/env node
/**
 * A tour of judgekit in one file, runnable offline: render a JudgeLRM prompt, parse a judge's
 * answer, score it with the JudgeLRM reward, turn a group of rewards into a GRPO step as verl
 * computes it, and evaluate a set of verdicts against labels.
 *
 * Usage: node examples/quickstart.mjs   (after `pnpm build`)
 */
import { createRng, VERDICTS } from '@judgekit/core';
import { grpoStep } from '@judgekit/grpo';
import { evaluateJudge } from '@judgekit/metrics';
import { getParser } from '@judgekit/parsers';
import { render } from '@judgekit/prompts';
import { computeJudgeLrmScore } from '@judgekit/rewards';

// 1. A pairwise sample rendered with JudgeLRM's inference prompt (byte-exact with upstream).
const sample = {
  id: 'q1',
  question: 'What is the capital of Australia?',
  answer1: 'Sydney is the capital of Australia.',
  answer2: 'Canberra is the capital of Australia.',
};
const prompt = render('judgelrm/pair', sample);
console.log(
  `1. judgelrm/pair: ${prompt.messages.length} chat messages, raw prompt of ${prompt.raw.length} characters`,
);

// 2. Parse what a judge wrote, in its template's output format. Bad text is a typed failure.
const completion = 'Answer 2 names the right city.</think><answer>3</answer><answer>9</answer>';
const parser = getParser(prompt.outputFormat);
const parsed = parser.parse(completion);
const garbage = parser.parse('I think both are fine.');
console.log(
  `2. parsed: ${parsed.ok ? `${parsed.value.verdict} ${JSON.stringify(parsed.value.scores)}` : parsed.reason}; ` +
    `garbage → ${garbage.ok ? 'ok?!' : `failure "${garbage.reason}"`}`,
);

// 3. The JudgeLRM reward of that completion against the gold scores "2 9" (upstream compute_score).
const sequence = `<|im_start|>assistant\n<think>${completion}`;
const reward = computeJudgeLrmScore(sequence, [2, 9]);
console.log(
  `3. JudgeLRM reward: total ${reward.total} = format ${reward.format} + content ${reward.content}`,
);

// 4. A GRPO step for one group of 4 completions (2 tokens each), as verl computes it.
const rng = createRng(0);
const rows = 4;
const cols = 2;
const logProbs = rng.fillNormal(new Float64Array(rows * cols), -1, 0.1);
const step = grpoStep(
  {
    rows,
    cols,
    mask: new Float64Array(rows * cols).fill(1),
    rewards: [reward.total, 1.0, -1.0, 0.5],
    groupIds: [0, 0, 0, 0],
    logProbs,
    oldLogProbs: logProbs,
    refLogProbs: logProbs,
  },
  { reference: 'verl', verl: { useKlLoss: true, klLossCoef: 0.001, klLossType: 'low_var_kl' } },
);
console.log(
  `4. GRPO (verl): advantages ${Array.from(
    step.advantages.filter((_, i) => i % cols === 0),
    (a) => a.toFixed(3),
  ).join(', ')}; ` +
    `loss ${step.loss.toExponential(3)} (on-policy, the clipped surrogate averages the advantages), ` +
    `‖∂loss/∂logp‖ ${Math.hypot(...step.gradLogProbs).toFixed(4)}`,
);

// 5. Judge meta-evaluation: agreement and macro F1 with a tie class; a parse failure is counted
//    on its own unless the caller picks a convention by name.
const labels = Array.from({ length: 200 }, () => VERDICTS[rng.nextInt(3)]);
const predictions = labels.map((l) =>
  rng.nextFloat() < 0.8 ? l : rng.nextFloat() < 0.5 ? null : VERDICTS[rng.nextInt(3)],
);
const report = evaluateJudge({ predictions, labels, bootstrap: { resamples: 500, seed: 0 } });
console.log(
  `5. agreement ${report.accuracy.toFixed(3)} [${report.ci.accuracy.lower.toFixed(3)}, ${report.ci.accuracy.upper.toFixed(3)}], ` +
    `macro F1 ${report.macro.f1.toFixed(3)}, ${report.predictionFailures} parse failures counted separately`,
);
