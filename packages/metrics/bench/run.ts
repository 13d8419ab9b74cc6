/**
 * `pnpm bench`: @judgekit/metrics against NumPy peers (resampling and multinomial), each side in
 * its own process, ≥ 5 alternating rounds. Point estimates are checked equal; bootstrap interval
 * bounds come from different random streams and are checked to agree within 5e-3 of the largest bound (paired: 2e-2 of the largest difference, ~6e-4 absolute; their Monte
 * Carlo error at 1000 resamples of 100k samples is ~3e-4). See bench/README.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  alternatingRounds,
  compareOutputs,
  printRounds,
  SINGLE_THREAD_ENV,
  type Side,
} from '../../../scripts/bench-kit.ts';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const rounds = Number(process.env.JUDGEKIT_BENCH_ROUNDS ?? 5);
const tsx = ['--import', 'tsx', '--conditions=@judgekit/source'];
const peer = here('./numpy_peer.py');
const sides: Side[] = [
  { name: 'judgekit', command: process.execPath, args: [...tsx, here('./ours.ts')] },
  {
    name: 'NumPy resample (1 thread)',
    command: 'python3',
    args: [peer, 'resample'],
    env: { ...SINGLE_THREAD_ENV },
  },
  {
    name: 'NumPy multinomial (1 thread)',
    command: 'python3',
    args: [peer, 'multinomial'],
    env: { ...SINGLE_THREAD_ENV },
  },
];
const outRoot = mkdtempSync(`${tmpdir()}/jk-metrics-bench-`);
try {
  const results = alternatingRounds(sides, rounds, outRoot);
  printRounds(
    `@judgekit/metrics vs NumPy (${rounds} alternating rounds, separate processes)`,
    sides,
    results,
    ['point_joint', 'point_codes', 'bootstrap', 'paired_bootstrap'],
  );
  if (!compareOutputs(sides, results, outRoot, { point: 1e-12, ci: 5e-3, paired_ci: 2e-2 }))
    process.exitCode = 1;
} finally {
  rmSync(outRoot, { recursive: true, force: true });
}
