/**
 * Rollout scoring with the loss and its gradients on a compute backend of @judgekit/webgpu:
 * `cpu` (the op's float64 CPU kernel, @judgekit/grpo `verlActorLossFused`), `webgpu` (its WGSL
 * kernel, float32) or `auto` (WebGPU when an adapter exists and passes its self-test, else the
 * CPU, saying why). Rewards, advantages and the statistics are those of {@link scoreRollouts}
 * (float64, CPU); the aggregated loss, `pgLoss`, ∂loss/∂log-probs, ∂loss/∂ref-log-probs and the
 * clip metrics (`pg_clipfrac`, `ppo_kl`, `pg_clipfrac_lower`, `kl_loss`) come from the backend's
 * `grpoClipKlLoss` op. `perTokenLoss` (unaggregated, for statistics) stays the CPU float64 value.
 *
 * @judgekit/webgpu is loaded only when this function runs, and Dawn (the optional `webgpu`
 * package) only when a GPU backend is asked for, so the rest of the package works without them.
 *
 * @module
 */
import { InvalidArgumentError, NotSupportedError } from '@judgekit/core';
import type { GrpoStepVerlOptions } from '@judgekit/grpo';
import {
  type Rollout,
  type RolloutScoringBackend,
  type ScoredRollouts,
  type ScoreRolloutsOptions,
  scoreRollouts,
} from './score-rollouts.js';

/** Which compute backend to ask @judgekit/webgpu for. */
export type ComputeBackendKind = 'cpu' | 'webgpu' | 'auto';

/**
 * Tolerance within which the `webgpu` backend agrees with the `cpu` backend (the float32
 * tolerance the @judgekit/webgpu conformance suite documents for `grpoClipKlLoss`): losses and
 * metrics |gpu − cpu| ≤ 1e-4·|cpu| + 1e-6; gradients |gpu − cpu| ≤ 1e-4·|cpu| + 1e-6·max|cpu|.
 */
export const WEBGPU_LOSS_TOLERANCE = Object.freeze({ rtol: 1e-4, atol: 1e-6 });

/** Options of {@link scoreRolloutsOnBackend}. */
export interface ScoreRolloutsOnBackendOptions extends ScoreRolloutsOptions {
  /** Where the loss and gradients run: `cpu`, `webgpu` (throws when no adapter) or `auto`. */
  backend: ComputeBackendKind;
  /** Node only: `'dawn'` (default adapter: Vulkan / lavapipe) or `'dawn-opengles'`; default: either. */
  adapter?: 'dawn' | 'dawn-opengles';
  /** Called once with the backend choice (for `auto`: what was chosen, or what it fell back from). */
  onBackendSelected?: (backend: RolloutScoringBackend) => void;
}

const ADVANTAGE_KEYS = new Set(['advEstimator', 'normAdvByStd', 'gamma']);

/**
 * What a backend chosen by `getBackend(kind)` is, for results and messages: the choice, the
 * adapter, why `auto` fell back, and the precision of the `grpoClipKlLoss` op on it.
 * @internal shared with the GRPO loop.
 */
export function backendReport(
  kind: ComputeBackendKind,
  chosen: Awaited<ReturnType<typeof import('@judgekit/webgpu').getBackend>>,
): RolloutScoringBackend {
  const sel = chosen.selection;
  return {
    requested: kind,
    chosen: sel.chosen,
    adapter: chosen.name === 'webgpu' ? chosen.adapterName : null,
    fallbackReason: sel.fallbackReason,
    computedBy: 'grpoClipKlLoss',
    precision: chosen.name === 'webgpu' ? 'float32' : 'float64',
    message: sel.message,
  };
}

/**
 * @internal The `grpoClipKlLoss` options for verl settings of `grpoStep`: advantage settings are dropped
 * (advantages are computed on the CPU), defaults the kernel would not recognise by name
 * (`policyLoss: 'vanilla'`, `entropyCoeff: 0`) are dropped, `reference` maps to the kernel's
 * `version`; anything else is passed through so the op rejects it (`NotSupportedError`, the same
 * on every backend).
 */
export function grpoClipKlLossOptions(verl: GrpoStepVerlOptions | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(verl ?? {})) {
    if (v === undefined || ADVANTAGE_KEYS.has(k)) continue;
    if (k === 'policyLoss' && v === 'vanilla') continue;
    if (k === 'entropyCoeff' && v === 0) continue;
    if (k === 'reference' && (v === 'verl' || v === 'verl@legacy')) {
      out.version = v === 'verl' ? 'head' : 'legacy';
      continue;
    }
    out[k] = v;
  }
  return out;
}

/**
 * Score rollouts like {@link scoreRollouts}, with the GRPO loss and its gradients computed by the
 * `grpoClipKlLoss` op of @judgekit/webgpu on the backend asked for. The op implements verl's
 * vanilla PPO-clip + `low_var_kl` / `k3` KL loss with `token-mean` aggregation; anything else
 * (the `trl` convention, `policyLoss: 'gspo'`, another `lossAggMode` or `klLossType`, an entropy
 * bonus) is rejected with `NotSupportedError` on every backend, before any number is returned.
 * `getBackend('webgpu')` without an adapter rejects with `WebGpuUnavailableError`; GPU failures
 * reject with `WebGpuError` (never numbers). The result's `backend` records the choice and the
 * adapter; CPU and WebGPU results agree within {@link WEBGPU_LOSS_TOLERANCE}.
 */
export async function scoreRolloutsOnBackend(
  rollouts: readonly Rollout[],
  options: ScoreRolloutsOnBackendOptions,
): Promise<ScoredRollouts> {
  const { backend: kind, adapter, onBackendSelected, ...scoreOptions } = options;
  if (kind !== 'cpu' && kind !== 'webgpu' && kind !== 'auto')
    throw new InvalidArgumentError(
      'backend',
      `must be "cpu", "webgpu" or "auto", got ${JSON.stringify(kind)}`,
    );
  if (scoreOptions.convention === 'trl')
    throw new NotSupportedError(
      'the compute backends implement verl\'s loss only (the grpoClipKlLoss op: PPO-clip + low_var_kl, token-mean); score the "trl" convention with scoreRollouts (CPU, float64)',
    );
  const base = scoreRollouts(rollouts, scoreOptions);
  const opOptions = grpoClipKlLossOptions(scoreOptions.verl);
  const webgpu = await import('@judgekit/webgpu');
  const inputs = {
    logProb: base.logProbs,
    oldLogProb: oldLogProbs(rollouts, base),
    ...(refLogProbs(rollouts, base) ?? {}),
    advantages: base.tokenAdvantages,
    responseMask: base.mask,
    rows: base.rows,
    cols: base.cols,
  };
  const chosen = await webgpu.getBackend(kind, adapter === undefined ? {} : { adapter });
  try {
    const report = backendReport(kind, chosen);
    onBackendSelected?.(report);
    const r = await webgpu.runOp('grpoClipKlLoss', inputs, { backend: chosen, options: opOptions });
    const metrics: Record<string, number> = {
      ...base.stats.trainerMetrics,
      pg_clipfrac: r.pgClipfrac,
      ppo_kl: r.ppoKl,
      pg_clipfrac_lower: r.pgClipfracLower,
    };
    if (r.klLoss !== null) metrics.kl_loss = r.klLoss;
    return {
      ...base,
      backend: report,
      loss: r.loss,
      pgLoss: r.pgLoss,
      gradLogProbs: Float64Array.from(r.gradLogProb),
      gradRefLogProbs: r.gradRefLogProb === null ? null : Float64Array.from(r.gradRefLogProb),
      stats: { ...base.stats, clipFraction: r.pgClipfrac, trainerMetrics: metrics },
      notes: [
        ...base.notes,
        `loss and gradients: grpoClipKlLoss on ${report.chosen} (${report.precision}); per-token loss statistics: CPU float64`,
      ],
    };
  } finally {
    chosen.dispose();
  }
}

function padRows(
  rollouts: readonly Rollout[],
  key: 'oldLogProbs' | 'refLogProbs',
  cols: number,
): Float64Array | undefined {
  if (rollouts[0]?.[key] === undefined) return undefined;
  const out = new Float64Array(rollouts.length * cols);
  rollouts.forEach((r, i) => {
    out.set(r[key] as number[], i * cols);
  });
  return out;
}

function oldLogProbs(rollouts: readonly Rollout[], base: ScoredRollouts): Float64Array {
  return padRows(rollouts, 'oldLogProbs', base.cols) ?? base.logProbs;
}

function refLogProbs(
  rollouts: readonly Rollout[],
  base: ScoredRollouts,
): { refLogProb: Float64Array } | undefined {
  const ref = padRows(rollouts, 'refLogProbs', base.cols);
  return ref === undefined ? undefined : { refLogProb: ref };
}
