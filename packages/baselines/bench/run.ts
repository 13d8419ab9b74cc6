/**
 * `pnpm bench`: @judgekit/baselines against fair peers, each side in its own process, ≥ 5
 * alternating rounds, outputs and gradients checked equal (see bench/README.md).
 * Work: DPO sigmoid fwd+bwd and Bradley–Terry fwd+bwd on 4096 and 1M pairs; 6 AdamW steps on 1M
 * float64 parameters (median step). `JUDGEKIT_BENCH_ROUNDS` overrides the round count (default 5).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  alternatingRounds,
  compareOutputs,
  printRounds,
  SINGLE_THREAD_ENV,
  type Side,
} from '../../../scripts/bench-kit.ts';
import { PAIRS, PARAMS } from './inputs.ts';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const rounds = Number(process.env.JUDGEKIT_BENCH_ROUNDS ?? 5);
const threads = availableParallelism();
const tsx = ['--import', 'tsx', '--conditions=@judgekit/source'];
const sides: Side[] = [
  { name: 'judgekit', command: process.execPath, args: [...tsx, here('./ours.ts'), String(threads)] },
  {
    name: 'NumPy (1 thread)',
    command: 'python3',
    args: [here('./numpy_peer.py')],
    env: { ...SINGLE_THREAD_ENV },
  },
  {
    name: `PyTorch CPU (${threads} threads)`,
    command: 'python3',
    args: [here('./torch_peer.py'), String(threads)],
  },
];
const outRoot = mkdtempSync(`${tmpdir()}/jk-baselines-bench-`);
try {
  const results = alternatingRounds(sides, rounds, outRoot);
  const works = [
    ...PAIRS.flatMap((n) => [`dpo_${n}`, `dpo_${n}@1t`, `bt_${n}`, `bt_${n}@1t`]),
    `adamw_${PARAMS}`,
  ];
  printRounds(
    `@judgekit/baselines vs fair peers (${rounds} alternating rounds, separate processes)`,
    sides,
    results,
    works,
  );
  const tol: Record<string, number> = { adamw_params: 1e-12 };
  for (const n of PAIRS) {
    // means over 1M pairs: judgekit sums in order, NumPy / torch pairwise (~1e-11 apart)
    for (const k of ['losses', 'gc', 'gr', 'grc', 'grr', 'cr', 'rr']) tol[`dpo_${n}_${k}`] = 1e-12;
    for (const k of ['gc', 'gr']) tol[`bt_${n}_${k}`] = 1e-12;
    tol[`dpo_${n}_loss`] = 1e-9;
    tol[`bt_${n}_stats`] = 1e-9;
  }
  if (!compareOutputs(sides, results, outRoot, tol)) process.exitCode = 1;
} finally {
  rmSync(outRoot, { recursive: true, force: true });
}
