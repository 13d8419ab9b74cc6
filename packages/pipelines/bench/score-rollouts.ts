/**
 * Benchmark of @judgekit/pipelines training flows: `scoreRollouts` end to end (JudgeLRM rewards,
 * verl GRPO advantages, actor loss with KL, gradients) on ROLLOUTS × TOKENS (default 1024 × 1024),
 * beside the same pipeline in Python + NumPy (bench/score_rollouts_peer.py) timed on the same batch
 * in the same run, with an agreement check; and GRPO-loop steps per second for the small policy.
 * Sizes: JUDGEKIT_BENCH_ROLLOUTS, JUDGEKIT_BENCH_TOKENS. Prints figures; asserts no time.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, runPythonPeer, timeIt } from '../../../scripts/bench-kit.ts';
import { type Rollout, scoreRollouts, trainGrpoJudgePolicy } from '../src/index.ts';

const B = Number(process.env.JUDGEKIT_BENCH_ROLLOUTS ?? 1024);
const T = Number(process.env.JUDGEKIT_BENCH_TOKENS ?? 1024);
const G = 8;
let seed = 2024;
const rand = () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 2 ** 32;
};
const PROMPT =
  '<|im_start|>user\n[Question]\nExplain photosynthesis briefly.\n[Answer 1]\nPlants turn light into energy.\n[Answer 2]\nIt is a process.<|im_end|>\n<|im_start|>assistant\n<think>';
const rollouts: Rollout[] = [];
const lp = new Float64Array(B * T);
const old = new Float64Array(B * T);
const ref = new Float64Array(B * T);
const mask = new Float64Array(B * T);
for (let i = 0; i < B; i++) {
  const len = Math.max(1, Math.floor(T * (0.5 + 0.5 * rand())));
  const a = Math.floor(rand() * 11);
  const b = Math.floor(rand() * 11);
  const completion =
    rand() < 0.15
      ? 'no tags here'
      : `Answer 1 is better.</think><answer>${a}</answer><answer>${b}</answer><|im_end|>`;
  const l: number[] = [];
  const o: number[] = [];
  const r: number[] = [];
  for (let t = 0; t < len; t++) {
    const x = -3 * rand();
    l.push(x);
    o.push(x + (rand() - 0.5) * 0.6);
    r.push(x + (rand() - 0.5) * 0.4);
  }
  lp.set(l, i * T);
  old.set(o, i * T);
  ref.set(r, i * T);
  mask.fill(1, i * T, i * T + len);
  rollouts.push({
    prompt: PROMPT,
    completion,
    groupId: Math.floor(i / G),
    groundTruth: '8 3',
    logProbs: l,
    oldLogProbs: o,
    refLogProbs: r,
  });
}

const run = () => scoreRollouts(rollouts, { convention: 'verl', maxResponseLength: T });
const ours = run();
const timing = timeIt(run, { minSeconds: 2, minReps: 3, warmup: 1 });

// Peer on the same batch.
const dir = mkdtempSync(join(tmpdir(), 'jk-bench-'));
const cols = ours.cols;
const padTo = (src: Float64Array) => {
  const out = new Float64Array(B * cols);
  for (let i = 0; i < B; i++) out.set(src.subarray(i * T, i * T + cols), i * cols);
  return out;
};
for (const [name, a] of [
  ['lp', padTo(lp)],
  ['old', padTo(old)],
  ['ref', padTo(ref)],
  ['mask', padTo(mask)],
] as const)
  writeFileSync(join(dir, `${name}.f64`), new Uint8Array(a.buffer));
writeFileSync(
  join(dir, 'texts.json'),
  JSON.stringify({
    rows: B,
    cols,
    max_response_length: T,
    texts: rollouts.map((r) => r.prompt + r.completion),
    truths: rollouts.map((r) => r.groundTruth),
    groups: rollouts.map((r) => r.groupId),
  }),
);
const peer = runPythonPeer<{ seconds: number; rewards: number[]; advantages: number[]; loss: number }>(
  fileURLToPath(new URL('./score_rollouts_peer.py', import.meta.url)),
  [dir, '2'],
);
let agreement = 'python3 with numpy not available: no peer figures';
if (peer) {
  const pg = new Float64Array(readFileSync(join(dir, 'peer_grad.f64')).buffer.slice(0));
  let maxGrad = 0;
  for (let k = 0; k < pg.length; k++)
    maxGrad = Math.max(maxGrad, Math.abs((pg[k] as number) - (ours.gradLogProbs[k] as number)));
  const rewardsSame = peer.rewards.every((r, i) => r === ours.rewards[i]);
  let maxAdv = 0;
  peer.advantages.forEach((a, i) => {
    maxAdv = Math.max(maxAdv, Math.abs(a - (ours.advantages[i] as number)));
  });
  agreement = `rewards ${rewardsSame ? 'identical' : 'DIFFER'}; max |Δadvantage| ${maxAdv.toExponential(2)}; |Δloss| ${Math.abs(peer.loss - ours.loss).toExponential(2)}; max |Δgrad| ${maxGrad.toExponential(2)}`;
  if (!rewardsSame || maxAdv > 1e-9 || Math.abs(peer.loss - ours.loss) > 1e-9 || maxGrad > 1e-12)
    process.exitCode = 1;
}
rmSync(dir, { recursive: true, force: true });

// GRPO loop steps per second (16-token policy, 8 prompts × 8 completions per step).
const pairs = Array.from({ length: 64 }, (_, i) => ({
  id: String(i),
  question: `q${i}`,
  answer1: 'a '.repeat(i % 9),
  answer2: 'b '.repeat((i * 7) % 11),
}));
const gts = pairs.map((_, i) => (i % 2 ? '8 4' : '4 8'));
const loop = timeIt(() => trainGrpoJudgePolicy(pairs, gts, { steps: 20 }), {
  minSeconds: 2,
  minReps: 3,
  warmup: 1,
});

printTable(
  `@judgekit/pipelines training flows (${process.version}; ${B} rollouts × up to ${T} tokens, groups of ${G})`,
  [
    {
      work: 'scoreRollouts (verl) end to end',
      ours: (B * cols) / timing.secondsPerCall,
      peer: peer ? (B * cols) / peer.seconds : undefined,
      unit: 'tokens/s',
      peerName: 'NumPy + Python reward',
    },
    { work: 'GRPO loop, small judge policy', ours: 20 / loop.secondsPerCall, unit: 'steps/s', peerName: '—' },
  ],
);
console.log(`\nagreement with the peer: ${agreement}`);
