/**
 * The kernel registry: one implementation per (op, backend), looked up by {@link runOp}. Every op
 * has a `cpu` kernel (the float64 reference of @judgekit/grpo / @judgekit/baselines) and a
 * `webgpu` kernel (WGSL, float32), as in tfjs-backend-webgpu's `registerKernel` table and
 * onnxruntime-web's per-op kernel files.
 *
 * @module
 */

import {
  type DpoSigmoidLossInputs,
  type DpoSigmoidLossOptions,
  type DpoSigmoidLossOutput,
  dpoSigmoidLossCpu,
  dpoSigmoidLossWebGpu,
} from './kernels/dpo-sigmoid-loss.js';
import {
  type GrpoClipKlLossInputs,
  type GrpoClipKlLossOptions,
  type GrpoClipKlLossOutput,
  grpoClipKlLossCpu,
  grpoClipKlLossWebGpu,
} from './kernels/grpo-clip-kl-loss.js';
import {
  type TokenLogProbsEntropyInputs,
  type TokenLogProbsEntropyOutput,
  tokenLogProbsEntropyCpu,
  tokenLogProbsEntropyWebGpu,
} from './kernels/token-log-probs-entropy.js';
import {
  type TokenLogProbsEntropyBackwardInputs,
  type TokenLogProbsEntropyBackwardOutput,
  tokenLogProbsEntropyBackwardCpu,
  tokenLogProbsEntropyBackwardWebGpu,
} from './kernels/token-log-probs-entropy-backward.js';
import { type Backend, cpuBackend, type WebGpuBackend } from './webgpu-backend.js';

/** Inputs, options and output of every registered op. */
export interface OpTable {
  /** Token log-probs + entropy from logits (see `tokenLogProbsEntropyCpu`). */
  tokenLogProbsEntropy: {
    inputs: TokenLogProbsEntropyInputs;
    options: undefined;
    output: TokenLogProbsEntropyOutput;
  };
  /** Gradient of Σ g_logp·logp + g_H·H with respect to the logits (see `tokenLogProbsEntropyBackwardCpu`). */
  tokenLogProbsEntropyBackward: {
    inputs: TokenLogProbsEntropyBackwardInputs;
    options: undefined;
    output: TokenLogProbsEntropyBackwardOutput;
  };
  /** verl PPO-clip + k3 KL actor loss, forward + backward (see `grpoClipKlLossCpu`). */
  grpoClipKlLoss: {
    inputs: GrpoClipKlLossInputs;
    options: GrpoClipKlLossOptions | undefined;
    output: GrpoClipKlLossOutput;
  };
  /** TRL sigmoid DPO loss (reference-based, label smoothing), forward + backward per pair (see `dpoSigmoidLossCpu`). */
  dpoSigmoidLoss: {
    inputs: DpoSigmoidLossInputs;
    options: DpoSigmoidLossOptions | undefined;
    output: DpoSigmoidLossOutput;
  };
}

/** Name of a registered op. */
export type OpName = keyof OpTable;

/** Names of the backends kernels are registered for. */
export type BackendName = Backend['name'];

type Kernels = {
  [K in OpName]: {
    cpu: (inputs: OpTable[K]['inputs'], options: OpTable[K]['options']) => OpTable[K]['output'];
    webgpu: (
      backend: WebGpuBackend,
      inputs: OpTable[K]['inputs'],
      options: OpTable[K]['options'],
    ) => Promise<OpTable[K]['output']>;
  };
};

const KERNELS: Kernels = {
  tokenLogProbsEntropy: {
    cpu: (inputs) => tokenLogProbsEntropyCpu(inputs),
    webgpu: (backend, inputs) => tokenLogProbsEntropyWebGpu(backend, inputs),
  },
  tokenLogProbsEntropyBackward: {
    cpu: (inputs) => tokenLogProbsEntropyBackwardCpu(inputs),
    webgpu: (backend, inputs) => tokenLogProbsEntropyBackwardWebGpu(backend, inputs),
  },
  grpoClipKlLoss: {
    cpu: (inputs, options) => grpoClipKlLossCpu(inputs, options),
    webgpu: (backend, inputs, options) => grpoClipKlLossWebGpu(backend, inputs, options),
  },
  dpoSigmoidLoss: {
    cpu: (inputs, options) => dpoSigmoidLossCpu(inputs, options),
    webgpu: (backend, inputs, options) => dpoSigmoidLossWebGpu(backend, inputs, options),
  },
};

/** Every registered op name. */
export const OP_NAMES: readonly OpName[] = Object.freeze(Object.keys(KERNELS) as OpName[]);

/** The (op, backend) pairs that have a kernel, read from the kernel table itself. */
export function registeredKernels(): Array<{ op: OpName; backend: BackendName }> {
  return (Object.keys(KERNELS) as OpName[]).flatMap((op) =>
    (Object.keys(KERNELS[op]) as BackendName[])
      .filter((backend) => typeof (KERNELS[op] as Record<string, unknown>)[backend] === 'function')
      .map((backend) => ({ op, backend })),
  );
}

/** Configuration of {@link runOp}. */
export interface RunOpConfig<K extends OpName> {
  /** Where to run (default: the CPU backend). Get one from `getBackend`. */
  backend?: Backend;
  /** Op options. */
  options?: OpTable[K]['options'];
}

/**
 * Run `op` on a backend (default CPU). CPU outputs are Float64Array, WebGPU outputs Float32Array;
 * both compute the same function within the tolerances documented in the conformance suite.
 */
export async function runOp<K extends OpName>(
  op: K,
  inputs: OpTable[K]['inputs'],
  config: RunOpConfig<K> = {},
): Promise<OpTable[K]['output']> {
  const backend = config.backend ?? cpuBackend;
  const kernels = KERNELS[op] as Kernels[K];
  if (backend.name === 'cpu') return kernels.cpu(inputs, config.options as OpTable[K]['options']);
  return kernels.webgpu(backend, inputs, config.options as OpTable[K]['options']);
}
