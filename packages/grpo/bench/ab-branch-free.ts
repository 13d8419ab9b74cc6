/**
 * Interleaved A/B of the fused actor loop variants in one process (branchy, branch-free,
 * branch-free + fastExp), 64 × 2048 tokens: `tsx --conditions=@judgekit/source bench/ab-branch-free.ts`.
 * A quick check, not a benchmark result (one process, no peers); use run.ts for figures.
 */
import {
  ACTOR_PARTIALS,
  type FusedPrepared,
  prepareActorFused,
  verlActorFusedRows,
} from '../src/actor-loss-fused.ts';
import { actorInputs } from './inputs.ts';

const inputs = actorInputs(64, 2048);
const variants = {
  branchy: { branchyLoop: true, fastExp: false },
  branchFree: { branchyLoop: false, fastExp: false },
  branchFreeFastExp: { branchyLoop: false, fastExp: true },
  branchyFastExp: { branchyLoop: true, fastExp: true },
};
const prep = prepareActorFused(inputs, { klLossCoef: 1e-3 }) as FusedPrepared;
const partials = new Float64Array(64 * ACTOR_PARTIALS);
const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let round = 0; round < 40; round++) {
  for (const [name, v] of Object.entries(variants)) {
    const k = { ...prep.kernel, ...v };
    const t0 = performance.now();
    verlActorFusedRows(k, 0, 64, partials);
    times[name]!.push(performance.now() - t0);
  }
}
for (const [name, xs] of Object.entries(times)) {
  const s = xs.slice(5).sort((a, b) => a - b);
  console.log(`${name.padEnd(18)} median ${s[s.length >> 1]!.toFixed(2)} ms  min ${s[0]!.toFixed(2)} ms`);
}
