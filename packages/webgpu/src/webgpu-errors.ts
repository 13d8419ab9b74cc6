/**
 * Typed errors of the WebGPU runtime. A GPU failure (shader or pipeline validation, out of memory,
 * an internal error, a lost device, a failed read-back) is never turned into numbers: the op that
 * met it rejects with {@link WebGpuError}. A missing adapter or a missing `webgpu` package is a
 * {@link WebGpuUnavailableError} (a `NotSupportedError`, code `not_supported`).
 *
 * @module
 */

import { JudgekitError, type JudgekitErrorCode, NotSupportedError } from '@judgekit/core';

/** Stable code of {@link WebGpuError}. */
export const WEBGPU_ERROR_CODE = 'webgpu' satisfies JudgekitErrorCode;

/** What went wrong on the device. */
export type WebGpuErrorKind =
  | 'validation'
  | 'out-of-memory'
  | 'internal'
  | 'pipeline'
  | 'device-lost'
  | 'read-back'
  | 'device-request'
  | 'self-test';

/**
 * A GPU error met while running an op: the op's result is discarded. `kind` says which error
 * scope (or event) reported it, `op` names the op, `adapter` the adapter it ran on.
 */
export class WebGpuError extends JudgekitError {
  /** Which error scope or event reported the failure. */
  readonly kind: WebGpuErrorKind;
  /** The op (kernel) that was running, when known. */
  readonly op: string | undefined;
  /** Description of the adapter, when known. */
  readonly adapter: string | undefined;
  constructor(
    kind: WebGpuErrorKind,
    message: string,
    details: { op?: string; adapter?: string; cause?: unknown } = {},
  ) {
    const where = [
      details.op !== undefined ? `op ${details.op}` : '',
      details.adapter ? `adapter "${details.adapter}"` : '',
    ]
      .filter(Boolean)
      .join(', ');
    super(
      WEBGPU_ERROR_CODE,
      `WebGPU ${kind} error${where ? ` (${where})` : ''}: ${message}. The result was discarded; run on the CPU backend (getBackend('cpu')) or fix the adapter.`,
      details.cause === undefined ? {} : { cause: details.cause },
    );
    this.kind = kind;
    this.op = details.op;
    this.adapter = details.adapter;
  }

  /** True for a {@link WebGpuError} from any copy of this package. */
  static override isInstance(error: unknown): error is WebGpuError {
    return JudgekitError.isInstance(error) && error.code === WEBGPU_ERROR_CODE;
  }
}

/** Install hint printed when the `webgpu` package (Dawn for Node) cannot be loaded. */
export const WEBGPU_INSTALL_HINT =
  'install the optional peer dependency "webgpu" (npm install webgpu) to run on a GPU in Node; in browsers WebGPU comes from navigator.gpu';

/** No WebGPU adapter could be obtained (code `not_supported`); `attempts` says what was tried. */
export class WebGpuUnavailableError extends NotSupportedError {
  /** One line per adapter source tried, with why it gave nothing. */
  readonly attempts: readonly string[];
  constructor(attempts: readonly string[], options?: { cause?: unknown }) {
    super(
      `No WebGPU adapter (${attempts.join('; ') || 'nothing tried'}). In Node ${WEBGPU_INSTALL_HINT} and a Vulkan driver (or Mesa lavapipe: mesa-vulkan-drivers ≥ 24 with libvulkan1) or OpenGL ES (EGL_PLATFORM=surfaceless); in browsers enable WebGPU. Use backend "auto" or "cpu" to run on the CPU.`,
      options,
    );
    this.attempts = attempts;
  }
}
