/**
 * Helpers shared by the packages' benchmark scripts (`pnpm bench`): time a function, run a Python
 * peer in the same process tree, and print both figures side by side. Not published.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

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

// ---------------------------------------------------------------------------------------------
// Fair rounds: every side (judgekit, NumPy, PyTorch) runs in its own process, the sides alternate
// round after round, and each side's outputs are written once and checked against judgekit's.
// ---------------------------------------------------------------------------------------------

/**
 * Environment that pins NumPy / OpenBLAS / MKL / OpenMP to one thread: NumPy's ufuncs run on one
 * thread anyway, this keeps its BLAS calls (`dot`) there too, as users run it.
 */
export const SINGLE_THREAD_ENV: Readonly<Record<string, string>> = {
  OMP_NUM_THREADS: '1',
  OPENBLAS_NUM_THREADS: '1',
  MKL_NUM_THREADS: '1',
  VECLIB_MAXIMUM_THREADS: '1',
  NUMEXPR_NUM_THREADS: '1',
};

/** One side of a fair comparison: a process that times the work and prints one JSON line. */
export interface Side {
  /** Name printed in the table, e.g. `NumPy 2.4 (1 thread)`. */
  name: string;
  /** Executable (`python3`, `process.execPath`, …). */
  command: string;
  /** Its arguments; the kit appends `<outDir|->` (where to write outputs; `-` = don't). */
  args: string[];
  /** Extra environment. */
  env?: Record<string, string>;
}

/**
 * What a side prints as its last stdout line: seconds per call of each work item (median of its
 * in-process repetitions), the threads it used per item, and optionally `skipped` with a reason.
 */
export interface SideReport {
  seconds: Record<string, number>;
  threads: Record<string, number>;
  version?: string;
  skipped?: string;
}

/** Per side, per work item: every round's seconds. */
export type RoundResults = Map<string, { reports: SideReport[]; skipped?: string }>;

/**
 * Run `rounds` rounds; in round r the sides start in rotated order (r mod sides) so no side always
 * runs first or right after another. Round 0 of each side writes its outputs under
 * `outRoot/<side index>/` for {@link compareOutputs}.
 */
export function alternatingRounds(sides: Side[], rounds: number, outRoot: string): RoundResults {
  const results: RoundResults = new Map(sides.map((s) => [s.name, { reports: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < sides.length; j++) {
      const idx = (r + j) % sides.length;
      const side = sides[idx]!;
      const entry = results.get(side.name)!;
      if (entry.skipped !== undefined) continue;
      const outDir = r === 0 ? `${outRoot}/${idx}` : '-';
      const res = spawnSync(side.command, [...side.args, outDir], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
        env: { ...process.env, ...side.env },
      });
      if (res.error || res.status !== 0) {
        entry.skipped = `failed: ${res.error?.message ?? res.stderr.trim().split('\n').slice(-3).join(' | ')}`;
        continue;
      }
      const lines = res.stdout.trim().split('\n');
      const report = JSON.parse(lines[lines.length - 1]!) as SideReport;
      if (report.skipped !== undefined) {
        entry.skipped = report.skipped;
        continue;
      }
      entry.reports.push(report);
      process.stderr.write(`round ${r + 1}/${rounds} ${side.name}: done\n`);
    }
  }
  return results;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}

/**
 * Print, per work item, each side's median seconds over the rounds with its [min, max] range, its
 * thread count, and the ratio of the first side's median to every other side's median
 * (judgekit first: `> 1×` means judgekit is faster).
 */
export function printRounds(title: string, sides: Side[], results: RoundResults, works: string[]): void {
  console.log(`\n${title}`);
  for (const s of sides) {
    const e = results.get(s.name)!;
    if (e.skipped !== undefined) console.log(`  ${s.name}: skipped (${e.skipped})`);
  }
  const header = ['work', 'side', 'threads', 'median', '[min, max]', 'rounds', 'side / judgekit'];
  const body: string[][] = [];
  for (const w of works) {
    let base: number | undefined;
    for (const s of sides) {
      const e = results.get(s.name)!;
      const xs = e.reports.map((r) => r.seconds[w]).filter((x): x is number => x !== undefined);
      if (xs.length === 0) continue;
      const med = median(xs);
      const threads = e.reports[0]!.threads[w] ?? 1;
      const ratio =
        w.includes('@') && base === undefined
          ? `(variant ${w.slice(w.indexOf('@') + 1)})`
          : base === undefined
            ? '(base)'
            : `${(med / base).toPrecision(3)}x`;
      if (base === undefined) base = med;
      body.push([
        w,
        s.name,
        String(threads),
        `${(med * 1e3).toFixed(2)} ms`,
        `[${(Math.min(...xs) * 1e3).toFixed(2)}, ${(Math.max(...xs) * 1e3).toFixed(2)}]`,
        String(xs.length),
        ratio,
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
  console.log("side / judgekit: that side's median time over judgekit's (> 1x: judgekit is faster).");
}

/** Write a Float64Array as raw little-endian bytes (NumPy: `np.fromfile(path, '<f8')`). */
export function writeF64(path: string, a: Float64Array): void {
  writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

/** Read raw little-endian float64 bytes. */
export function readF64(path: string): Float64Array {
  const b = readFileSync(path);
  const out = new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/**
 * Check every output file `names[i]` of each peer directory against judgekit's (`outRoot/0`):
 * max |a − b| / max |a| (over the array) must stay within `tol[name]`. Prints one line per check and returns
 * false when any failed or was missing (NaN positions must match).
 */
export function compareOutputs(
  sides: Side[],
  results: RoundResults,
  outRoot: string,
  tol: Record<string, number>,
): boolean {
  let ok = true;
  for (let i = 1; i < sides.length; i++) {
    const side = sides[i]!;
    if (results.get(side.name)!.skipped !== undefined) continue;
    for (const [name, t] of Object.entries(tol)) {
      const ours = `${outRoot}/0/${name}.f64`;
      const theirs = `${outRoot}/${i}/${name}.f64`;
      if (!existsSync(ours) || !existsSync(theirs)) {
        if (existsSync(ours) !== existsSync(theirs)) {
          console.log(`  check ${side.name} ${name}: MISSING on one side`);
          ok = false;
        }
        continue;
      }
      const a = readF64(ours);
      const b = readF64(theirs);
      let worst = a.length === b.length ? 0 : Number.POSITIVE_INFINITY;
      let scale = Number.MIN_VALUE;
      for (let k = 0; k < a.length; k++) if (Math.abs(a[k]!) > scale) scale = Math.abs(a[k]!);
      for (let k = 0; k < a.length && k < b.length; k++) {
        const x = a[k]!;
        const y = b[k]!;
        if (Number.isNaN(x) || Number.isNaN(y)) {
          if (Number.isNaN(x) !== Number.isNaN(y)) worst = Number.POSITIVE_INFINITY;
          continue;
        }
        const d = Math.abs(x - y) / scale;
        if (d > worst) worst = d;
      }
      const pass = worst <= t;
      if (!pass) ok = false;
      console.log(
        `  check ${side.name} ${name}: max rel diff ${worst.toExponential(2)} (tol ${t.toExponential(0)}) ${pass ? 'ok' : 'FAIL'}`,
      );
    }
  }
  return ok;
}

/**
 * Deterministic inputs both languages compute identically: u(i, seed) = ((i + seed·2^20)·2654435761
 * mod 2^32) / 2^32 ∈ [0, 1), exact in float64 on both sides (NumPy: uint64 arithmetic).
 */
export function hashUniform(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  const off = seed * 1048576;
  for (let i = 0; i < n; i++) out[i] = (Math.imul(i + off, 2654435761) >>> 0) / 4294967296;
  return out;
}

/** Median seconds per call of `fn` over `reps` calls after `warmup` (in-process part of a round). */
export function medianSeconds(fn: () => unknown, reps = 5, warmup = 1): number {
  for (let i = 0; i < warmup; i++) fn();
  const xs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    xs.push((performance.now() - t0) / 1000);
  }
  return median(xs);
}

/** Async variant of {@link medianSeconds}. */
export async function medianSecondsAsync(fn: () => Promise<unknown>, reps = 5, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    xs.push((performance.now() - t0) / 1000);
  }
  return median(xs);
}
