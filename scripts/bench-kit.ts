/**
 * Helpers shared by the packages' benchmark scripts (`pnpm bench`): time a function, run a Python
 * peer in the same process tree, and print both figures side by side. Not published.
 */
import { spawnSync } from 'node:child_process';

/** Timing of one benchmarked function. */
export interface Timing {
  /** Median seconds per call over the measured repetitions. */
  secondsPerCall: number;
  /** Repetitions measured (after warm-up). */
  reps: number;
}

/** Call `fn` until `minSeconds` have passed (at least `minReps` times) after a warm-up; report the median. */
export function timeIt(
  fn: () => unknown,
  options: { minSeconds?: number; minReps?: number; warmup?: number } = {},
): Timing {
  const { minSeconds = 1, minReps = 5, warmup = 2 } = options;
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < minReps || (performance.now() - start) / 1000 < minSeconds) {
    const t0 = performance.now();
    fn();
    samples.push((performance.now() - t0) / 1000);
  }
  samples.sort((a, b) => a - b);
  return { secondsPerCall: samples[Math.floor(samples.length / 2)]!, reps: samples.length };
}

/**
 * Run a Python peer script that prints one JSON object on its last stdout line, and return it.
 * Returns `undefined` with a message on stderr when python3 (or numpy) is missing, so a benchmark
 * still prints its own figure.
 */
export function runPythonPeer<T = Record<string, number>>(
  script: string,
  args: string[] = [],
  input?: string,
): T | undefined {
  const res = spawnSync('python3', [script, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (res.error || res.status !== 0) {
    process.stderr.write(`python peer ${script} failed: ${res.error?.message ?? res.stderr}\n`);
    return undefined;
  }
  const lines = res.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/** One row of a comparison table. */
export interface BenchRow {
  /** What was measured. */
  work: string;
  /** judgekit's throughput. */
  ours: number;
  /** The peer's throughput measured in the same run, if it ran. */
  peer?: number;
  /** Unit of both throughputs, e.g. `tokens/s`. */
  unit: string;
  /** The peer's name, e.g. `NumPy 2.x`. */
  peerName: string;
}

function fmt(x: number): string {
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)} G`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(2)} k`;
  return x.toFixed(2);
}

/** Print rows as an aligned table with the ratio ours / peer. */
export function printTable(title: string, rows: BenchRow[]): void {
  const header = ['work', 'judgekit', 'peer', 'peer figure', 'judgekit / peer'];
  const body = rows.map((r) => [
    r.work,
    `${fmt(r.ours)} ${r.unit}`,
    r.peerName,
    r.peer === undefined ? 'n/a' : `${fmt(r.peer)} ${r.unit}`,
    r.peer === undefined ? 'n/a' : `${(r.ours / r.peer).toFixed(2)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
}
