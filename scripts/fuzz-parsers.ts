/**
 * Fuzz every parser (both modes, directly and through the registry) and the JudgeLRM rewards with
 * generated and mutated real judge outputs, then time each regression pattern at 64 KB and 1 MB.
 *
 *   pnpm fuzz                       # 1,000,000 inputs, seed 1
 *   pnpm fuzz -- --inputs 100000 --seed 7 --max-large 1048576
 *
 * Prints the counts of inputs and outcomes, exceptions and contract violations (exit 1 if any),
 * and for each regression pattern the time of the slowest target at 64 KB and at 1 MB with the
 * growth ratio (≈ 16 for linear time). Figures depend on the machine; no test asserts them.
 */
import { REGRESSION_PATTERNS, runFuzz, worstTimeOn } from '../packages/rewards/bench/fuzz-judge-outputs.ts';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) {
    process.stderr.write(`--${name} needs a non-negative number, got ${process.argv[i + 1]}\n`);
    process.exit(2);
  }
  return v;
}

const inputs = flag('inputs', 1_000_000);
const seed = flag('seed', 1);
const maxLargeBytes = flag('max-large', 1 << 20);
const largeRate = flag('large-rate', 0.00002);

const t0 = performance.now();
const report = runFuzz({
  inputs,
  seed,
  largeRate,
  maxLargeBytes,
  slowMs: 250,
  onProgress: (done) =>
    process.stderr.write(`  ${done} inputs, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`),
});
const seconds = (performance.now() - t0) / 1000;

console.log(`fuzz: ${report.inputs} inputs, ${report.calls} calls, ${seconds.toFixed(1)} s (seed ${seed})`);
console.log(`exceptions: ${report.exceptions.length}, contract violations: ${report.violations.length}`);
for (const e of report.exceptions.slice(0, 20))
  console.log(`  EXCEPTION ${e.where}: ${e.message}\n    input ${e.input}`);
for (const v of report.violations.slice(0, 20))
  console.log(`  VIOLATION ${v.where}: ${v.problem}\n    input ${v.input}`);
console.log(`calls over 250 ms: ${report.slow.length}`);
for (const s of report.slow.slice(0, 10))
  console.log(`  ${s.where}: ${s.ms.toFixed(0)} ms on ${s.length} chars`);
console.log('\noutcomes (target: outcome × count)');
for (const [where, outcomes] of Object.entries(report.outcomes)) {
  const parts = Object.entries(outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k}×${n}`);
  const shown = parts.length > 8 ? [...parts.slice(0, 8), `… ${parts.length - 8} more`] : parts;
  console.log(`  ${where}: ${shown.join(' ')}`);
}

console.log('\nregression patterns: slowest target at 64 KB and 1 MB (growth ≈ 16 is linear)');
for (const p of REGRESSION_PATTERNS) {
  worstTimeOn(p.make(4096)); // warm up
  const small = worstTimeOn(p.make(65536));
  const large = worstTimeOn(p.make(1 << 20));
  const growth = small.ms > 0 ? large.ms / small.ms : Number.NaN;
  console.log(
    `  ${p.name}: ${small.ms.toFixed(1)} ms → ${large.ms.toFixed(1)} ms (×${growth.toFixed(1)}; slowest at 1 MB: ${large.where})`,
  );
}
process.exit(report.exceptions.length + report.violations.length > 0 ? 1 : 0);
