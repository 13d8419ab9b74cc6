/**
 * @judgekit/webgpu — WGSL kernels for judge-training math (token log-probs + entropy, the verl
 * PPO-clip + k3 KL loss, TRL's sigmoid DPO loss) run through Dawn in Node (`webgpu` package)
 * or `navigator.gpu` in browsers. Every op also has a CPU kernel (the float64 code of
 * @judgekit/grpo / @judgekit/baselines), so WebGPU is never required.
 *
 * @packageDocumentation
 */

export {
  type Backend,
  type BackendKind,
  type BackendSelection,
  type CpuBackend,
  cpuBackend,
  createWebGpuBackend,
  type GetBackendOptions,
  getBackend,
  PREFERRED_WORKGROUP_SIZE,
  selfTestWebGpu,
  type WebGpuAdapterDescription,
  type WebGpuAdapterSource,
  WebGpuBackend,
  type WebGpuBackendOptions,
} from './webgpu-backend.js';
export {
  WEBGPU_ERROR_CODE,
  WEBGPU_INSTALL_HINT,
  WebGpuError,
  type WebGpuErrorKind,
  WebGpuUnavailableError,
} from './webgpu-errors.js';
export {
  type BackendName,
  OP_NAMES,
  type OpName,
  type OpTable,
  type RunOpConfig,
  registeredKernels,
  runOp,
} from './kernel-registry.js';
export {
  type TokenLogProbsEntropyInputs,
  type TokenLogProbsEntropyOutput,
  tokenLogProbsEntropyCpu,
  tokenLogProbsEntropyWebGpu,
  tokenLogProbsEntropyWgsl,
} from './kernels/token-log-probs-entropy.js';
export {
  type TokenLogProbsEntropyBackwardInputs,
  type TokenLogProbsEntropyBackwardOutput,
  tokenLogProbsEntropyBackwardCpu,
  tokenLogProbsEntropyBackwardWebGpu,
  tokenLogProbsEntropyBackwardWgsl,
} from './kernels/token-log-probs-entropy-backward.js';
export {
  decodeLogits,
  float16ToNumber,
  float32ToBfloat16,
  type LogitsDtype,
  type LogitsInput,
  numberToFloat16,
  toFloat16,
} from './kernels/logits-dtype.js';
export {
  type GrpoClipKlLossInputs,
  type GrpoClipKlLossOptions,
  type GrpoClipKlLossOutput,
  grpoClipKlLossCpu,
  grpoClipKlLossWebGpu,
  grpoClipKlLossWgsl,
} from './kernels/grpo-clip-kl-loss.js';
export {
  type DpoSigmoidLossGrads,
  type DpoSigmoidLossInputs,
  type DpoSigmoidLossOptions,
  type DpoSigmoidLossOutput,
  dpoSigmoidLossCpu,
  dpoSigmoidLossWebGpu,
  dpoSigmoidLossWgsl,
} from './kernels/dpo-sigmoid-loss.js';
