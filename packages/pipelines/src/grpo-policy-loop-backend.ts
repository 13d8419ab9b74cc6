/**
 * The small GRPO judge-policy loop with its loss step on a compute backend of @judgekit/webgpu.
 * Per step: advantages on the CPU (@judgekit/grpo `verlGrpoAdvantage`, float64), then three ops
 * on the backend — `tokenLogProbsEntropy` (logits → log-probs, entropies), `grpoClipKlLoss`
 * (on-policy: old = current log-probs; ∂loss/∂log-probs) and `tokenLogProbsEntropyBackward`
 * (→ ∂loss/∂logits) — then the chain rule to the linear body and AdamW on the CPU, as in
 * {@link trainGrpoJudgePolicy}. Sampling stays on the CPU (float64 logits, one seeded RNG).
 *
 * @module
 */
import { InvalidArgumentError, NotSupportedError, type PairwiseSample } from '@judgekit/core';
import { verlGrpoAdvantage } from '@judgekit/grpo';
import {
  type GrpoJudgePolicyOptions,
  type GrpoJudgePolicyResult,
  judgePolicyLoop,
  type PolicyLossRequest,
  type PolicyLossResult,
} from './grpo-policy-loop.js';
import type { RolloutScoringBackend } from './score-rollouts.js';
import { backendReport, type ComputeBackendKind, grpoClipKlLossOptions } from './score-rollouts-backend.js';

/** Options of {@link trainGrpoJudgePolicyOnBackend}. */
export interface GrpoJudgePolicyBackendOptions extends GrpoJudgePolicyOptions {
  /** Where the loss step runs: `cpu` (the ops' float64 kernels), `webgpu` or `auto`. */
  backend: ComputeBackendKind;
  /** Node only: `'dawn'` or `'dawn-opengles'`; default: either. */
  adapter?: 'dawn' | 'dawn-opengles';
  /** Called once with the backend choice (for `auto`: what was chosen, or what it fell back from). */
  onBackendSelected?: (backend: RolloutScoringBackend) => void;
}

/** Result of {@link trainGrpoJudgePolicyOnBackend}: the run plus the backend that computed its loss steps. */
export interface GrpoJudgePolicyBackendResult extends GrpoJudgePolicyResult {
  backend: RolloutScoringBackend;
}

/**
 * Train the small judge policy like {@link trainGrpoJudgePolicy}, with every step's loss and
 * gradients computed by @judgekit/webgpu ops on the backend asked for. verl convention only
 * (`advEstimator: 'grpo'`, vanilla PPO-clip, token-mean: what the `grpoClipKlLoss` op
 * implements); anything else is a `NotSupportedError` on every backend. Given the same
 * parameters and batch, a step's loss and gradients on WebGPU agree with the CPU within the
 * float32 tolerance of `WEBGPU_LOSS_TOLERANCE`; over many steps the runs can part, since float32
 * rounding of the parameters can change a sampled token. The `cpu` backend is float64 and
 * deterministic per seed.
 */
export async function trainGrpoJudgePolicyOnBackend(
  samples: readonly PairwiseSample[],
  groundTruths: readonly string[],
  options: GrpoJudgePolicyBackendOptions,
): Promise<GrpoJudgePolicyBackendResult> {
  const { backend: kind, adapter, onBackendSelected, ...loopOptions } = options;
  if (kind !== 'cpu' && kind !== 'webgpu' && kind !== 'auto')
    throw new InvalidArgumentError(
      'backend',
      `must be "cpu", "webgpu" or "auto", got ${JSON.stringify(kind)}`,
    );
  if ((loopOptions.convention ?? 'verl') !== 'verl')
    throw new NotSupportedError(
      'the compute backends implement verl\'s loss only (the grpoClipKlLoss op); train the "trl" convention with trainGrpoJudgePolicy (CPU, float64)',
    );
  const verl = loopOptions.verl ?? {};
  if ((verl.advEstimator ?? 'grpo') !== 'grpo')
    throw new NotSupportedError(
      `the backend loop computes GRPO advantages (advEstimator "grpo") only, got "${String(verl.advEstimator)}"; use trainGrpoJudgePolicy`,
    );
  const opOptions = grpoClipKlLossOptions(verl);
  const webgpu = await import('@judgekit/webgpu');
  const chosen = await webgpu.getBackend(kind, adapter === undefined ? {} : { adapter });
  try {
    const report = backendReport(kind, chosen);
    onBackendSelected?.(report);
    const lossStep = async (req: PolicyLossRequest): Promise<PolicyLossResult> => {
      const { rows, cols, mask, rewards, groupIds, logits, labels, vocab, temperature } = req;
      // verl GRPO outcome advantage: the row's reward on its last valid token
      const tokenLevelRewards = new Float64Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        let l = 0;
        for (let t = i * cols; t < (i + 1) * cols; t++) l += mask[t] as number;
        tokenLevelRewards[i * cols + (l >= 1 ? Math.round(l) - 1 : cols - 1)] = rewards[i] as number;
      }
      const advantages = verlGrpoAdvantage(
        { tokenLevelRewards, responseMask: mask, index: groupIds, rows, cols },
        verl.normAdvByStd === undefined ? {} : { normAdvByStd: verl.normAdvByStd },
      ).advantages;
      const tokens = { logits, labels, rows: rows * cols, vocab, temperature };
      const fwd = await webgpu.runOp('tokenLogProbsEntropy', tokens, { backend: chosen });
      const loss = await webgpu.runOp(
        'grpoClipKlLoss',
        {
          logProb: fwd.logProbs,
          oldLogProb: fwd.logProbs,
          advantages,
          responseMask: mask,
          rows,
          cols,
        },
        { backend: chosen, options: opOptions },
      );
      const back = await webgpu.runOp(
        'tokenLogProbsEntropyBackward',
        { ...tokens, gradLogProbs: loss.gradLogProb },
        { backend: chosen },
      );
      return { loss: loss.loss, gradLogits: back.gradLogits, entropy: fwd.entropy };
    };
    const loop = judgePolicyLoop(samples, groundTruths, loopOptions);
    let next = loop.next();
    while (!next.done) next = loop.next(await lossStep(next.value));
    return { ...next.value, backend: report };
  } finally {
    chosen.dispose();
  }
}
