/**
 * The WebGPU runtime: adapter discovery (Dawn through the optional `webgpu` package in Node,
 * `navigator.gpu` in browsers), a compute-pipeline cache keyed by kernel name plus the parameters
 * that change the WGSL text (never run-time sizes, which travel as uniforms), buffer helpers, and
 * the guard every op runs under ({@link WebGpuBackend.run}): error scopes around pipeline
 * creation, dispatch and read-back, `device.lost` and `uncapturederror` watched, so any GPU
 * error rejects with a typed {@link WebGpuError} instead of returning numbers.
 *
 * Pattern: tfjs-backend-webgpu (tensorflow/tfjs, tfjs-backend-webgpu/src/backend_webgpu.ts,
 * `getAndSavePipeline` keyed by `program.shaderKey`) and onnxruntime-web
 * (microsoft/onnxruntime, js/web/lib/wasm/jsep/webgpu/program-manager.ts, `getArtifact(key)`).
 *
 * @module
 */

/// <reference types="@webgpu/types" />

import { InvalidArgumentError, NotSupportedError } from '@judgekit/core';
import { tokenLogProbsEntropyCpu, tokenLogProbsEntropyWebGpu } from './kernels/token-log-probs-entropy.js';
import {
  WEBGPU_INSTALL_HINT,
  WebGpuError,
  type WebGpuErrorKind,
  WebGpuUnavailableError,
} from './webgpu-errors.js';

/** Which adapter source {@link createWebGpuBackend} may use. */
export type WebGpuAdapterSource = 'navigator' | 'dawn' | 'dawn-opengles' | 'given';

/** Options of {@link createWebGpuBackend}. */
export interface WebGpuBackendOptions {
  /** Use this `GPU` object (e.g. `navigator.gpu`, or one from `create()` of the `webgpu` package) instead of discovering one. */
  gpu?: GPU;
  /** Dawn toggles/flags passed to `create()` of the `webgpu` package for the first (Vulkan/default) attempt. Default `[]`. */
  dawnFlags?: string[];
  /** `powerPreference` passed to `requestAdapter`. */
  powerPreference?: GPUPowerPreference;
  /** Try Dawn's OpenGL ES compatibility adapter when the default one is missing (Node only). Default true. */
  allowCompatibilityFallback?: boolean;
  /**
   * Node only: `'dawn'` tries only Dawn's default adapter, `'dawn-opengles'` only Dawn's OpenGL ES
   * compatibility adapter (set `EGL_PLATFORM=surfaceless` in the environment before the process
   * starts on machines without a display). Default: default first, then OpenGL ES.
   */
  adapter?: 'dawn' | 'dawn-opengles';
  /**
   * Most invocations per workgroup the kernels may use (a power of two; default 256, also the
   * most they use). The device is asked for this limit; what it grants sizes the workgroups.
   */
  maxWorkgroupSize?: number;
}

/** Description of the adapter a {@link WebGpuBackend} runs on. */
export interface WebGpuAdapterDescription {
  /** `GPUAdapterInfo.vendor`. */
  vendor: string;
  /** `GPUAdapterInfo.architecture`. */
  architecture: string;
  /** `GPUAdapterInfo.device`. */
  device: string;
  /** `GPUAdapterInfo.description` (e.g. "llvmpipe (LLVM 19.1.7, 256 bits)"). */
  description: string;
  /** How the adapter was found: `navigator.gpu`, Dawn default (Vulkan), Dawn OpenGL ES compat, or a caller-given `GPU`. */
  source: WebGpuAdapterSource;
  /** `'core'` or `'compatibility'` (Dawn's OpenGL ES adapter). */
  featureLevel: 'core' | 'compatibility';
}

/** What {@link getBackend} chose, and why: printed with {@link BackendSelection.message}. */
export interface BackendSelection {
  /** The kind asked for. */
  requested: BackendKind;
  /** The backend chosen. */
  chosen: 'cpu' | 'webgpu';
  /** The adapter, when `chosen` is `webgpu`. */
  adapter: WebGpuAdapterDescription | null;
  /** Why the CPU was chosen (null when WebGPU was chosen or `cpu` was asked for). */
  fallbackReason: string | null;
  /** One line a caller can print, e.g. `judgekit/webgpu: webgpu on "llvmpipe …" (dawn, core)`. */
  message: string;
}

/** A compute backend: the CPU reference or a WebGPU device. */
export type Backend = CpuBackend | WebGpuBackend;

/** The CPU backend: every op runs the float64 reference of @judgekit/grpo / @judgekit/baselines. */
export interface CpuBackend {
  /** Backend name. */
  readonly name: 'cpu';
  /** How this backend was chosen (for `getBackend('auto')`: why it fell back to the CPU). */
  readonly selection: BackendSelection;
  /** No-op (nothing to release). */
  dispose(): void;
}

function cpuSelection(requested: BackendKind, fallbackReason: string | null): BackendSelection {
  return Object.freeze({
    requested,
    chosen: 'cpu' as const,
    adapter: null,
    fallbackReason,
    message:
      fallbackReason === null
        ? 'judgekit/webgpu: cpu backend (float64 reference)'
        : `judgekit/webgpu: cpu backend (float64 reference); WebGPU unavailable: ${fallbackReason}`,
  });
}

function noop(): void {}

/** The shared CPU backend instance. */
export const cpuBackend: CpuBackend = Object.freeze({
  name: 'cpu' as const,
  selection: cpuSelection('cpu', null),
  dispose: noop,
});

/** Workgroup size the kernels are written for; lowered to what the device allows (e.g. 128 on OpenGL ES). */
export const PREFERRED_WORKGROUP_SIZE = 256;

function describeAdapter(d: WebGpuAdapterDescription): string {
  return (
    d.description || [d.vendor, d.architecture, d.device].filter(Boolean).join(' ') || `${d.source} adapter`
  );
}

/** A live WebGPU device plus the pipeline cache, buffer helpers and the error guard the kernels use. */
export class WebGpuBackend {
  /** Backend name. */
  readonly name = 'webgpu' as const;
  /** The device (destroyed by {@link WebGpuBackend.dispose}). */
  readonly device: GPUDevice;
  /** The adapter it came from. */
  readonly adapter: GPUAdapter;
  /** What the adapter says about itself. */
  readonly adapterDescription: WebGpuAdapterDescription;
  /** How this backend was chosen. */
  selection: BackendSelection;
  /**
   * Invocations per workgroup of every kernel: the largest power of two ≤ 256 the device allows
   * (`maxComputeInvocationsPerWorkgroup`, `maxComputeWorkgroupSizeX`, and the shared memory the
   * reductions use). 256 on Vulkan, 128 on OpenGL ES unless the adapter grants more.
   */
  readonly workgroupSize: number;
  /** Whether the device has `shader-f16` (float16 logits are converted on the host without it). */
  readonly shaderF16: boolean;
  /** The `GPU` object; held so Dawn's instance is not garbage-collected while the device lives. */
  #gpu: GPU | null;
  readonly #pipelines = new Map<string, Promise<GPUComputePipeline>>();
  #disposed = false;
  #lost: GPUDeviceLostInfo | null = null;
  readonly #uncaptured: GPUError[] = [];
  #queue: Promise<void> = Promise.resolve();
  #gpuCalls = 0;

  /** @internal Use {@link createWebGpuBackend}. */
  constructor(
    gpu: GPU,
    adapter: GPUAdapter,
    device: GPUDevice,
    description: WebGpuAdapterDescription,
    maxWorkgroupSize = PREFERRED_WORKGROUP_SIZE,
  ) {
    this.#gpu = gpu;
    retainDawnInstance(gpu);
    this.adapter = adapter;
    this.device = device;
    this.adapterDescription = description;
    const lim = device.limits;
    let wg = maxWorkgroupSize;
    // the log-prob reductions keep 3 f32 per invocation in workgroup memory
    while (
      wg > 1 &&
      (wg > lim.maxComputeInvocationsPerWorkgroup ||
        wg > lim.maxComputeWorkgroupSizeX ||
        wg * 16 > lim.maxComputeWorkgroupStorageSize)
    )
      wg /= 2;
    this.workgroupSize = wg;
    this.shaderF16 = device.features.has('shader-f16');
    this.selection = {
      requested: 'webgpu',
      chosen: 'webgpu',
      adapter: description,
      fallbackReason: null,
      message: `judgekit/webgpu: webgpu on "${describeAdapter(description)}" (${description.source}, ${description.featureLevel}, workgroup ${wg})`,
    };
    device.lost.then(
      (info) => {
        this.#lost = info;
      },
      () => {},
    );
    const onError = (ev: Event): void => {
      this.#uncaptured.push((ev as GPUUncapturedErrorEvent).error);
    };
    if (typeof device.addEventListener === 'function') device.addEventListener('uncapturederror', onError);
    else device.onuncapturederror = onError;
  }

  /** Whether {@link WebGpuBackend.dispose} has run. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Number of compiled pipelines in the cache. */
  get pipelineCacheSize(): number {
    return this.#pipelines.size;
  }

  /** Number of ops that ran to completion on the device (a guard against a silently skipped GPU path). */
  get completedOps(): number {
    return this.#gpuCalls;
  }

  /** The one-line description of the adapter, as used in error messages. */
  get adapterName(): string {
    return describeAdapter(this.adapterDescription);
  }

  /**
   * Run one op on the device. Ops are serialised (error scopes are a per-device stack); `body`
   * runs inside `validation`, `out-of-memory` and `internal` error scopes; after it, any error a
   * scope caught, a lost device, an uncaptured error or a failed read-back rejects with
   * {@link WebGpuError} and the body's result is dropped.
   */
  async run<T>(op: string, body: () => Promise<T>): Promise<T> {
    const previous = this.#queue;
    let release = noop;
    this.#queue = new Promise<void>((r) => {
      release = r;
    });
    await previous;
    try {
      this.#assertLive(op);
      const dev = this.device;
      dev.pushErrorScope('internal');
      dev.pushErrorScope('out-of-memory');
      dev.pushErrorScope('validation');
      let result: T | undefined;
      let thrown: unknown = null;
      let threw = false;
      try {
        result = await body();
      } catch (e) {
        thrown = e;
        threw = true;
      }
      const scoped: Array<[WebGpuErrorKind, GPUError | null]> = [];
      for (const kind of ['validation', 'out-of-memory', 'internal'] as const) {
        try {
          scoped.push([kind, await dev.popErrorScope()]);
        } catch (e) {
          scoped.push([kind, { message: `popErrorScope failed: ${String(e)}` } as GPUError]);
        }
      }
      this.#throwIfLost(op);
      for (const [kind, err] of scoped) {
        if (err !== null) throw new WebGpuError(kind, err.message, this.#where(op));
      }
      this.#throwIfUncaptured(op);
      if (threw) {
        if (WebGpuError.isInstance(thrown)) throw thrown;
        if (thrown instanceof Error && thrown.name === 'GPUPipelineError')
          throw new WebGpuError('pipeline', thrown.message, { ...this.#where(op), cause: thrown });
        if (thrown instanceof Error && (thrown.name === 'OperationError' || thrown.name === 'AbortError'))
          throw new WebGpuError('read-back', thrown.message, { ...this.#where(op), cause: thrown });
        throw thrown;
      }
      this.#gpuCalls++;
      return result as T;
    } finally {
      release();
    }
  }

  /**
   * The compute pipeline for `key`, compiled from `code()` on first use (asynchronously, so a
   * shader the device rejects rejects here with {@link WebGpuError} `pipeline`). The key must hold
   * the kernel name and every parameter that changes the WGSL text, and nothing else (sizes are
   * uniforms, so one pipeline serves all shapes). Call inside {@link WebGpuBackend.run}.
   */
  pipeline(key: string, code: () => string, entryPoint = 'main'): Promise<GPUComputePipeline> {
    this.#assertLive(key);
    let p = this.#pipelines.get(key);
    if (p === undefined) {
      const module = this.device.createShaderModule({ label: key, code: code() });
      p = this.device
        .createComputePipelineAsync({ label: key, layout: 'auto', compute: { module, entryPoint } })
        .catch((e: unknown) => {
          this.#pipelines.delete(key);
          throw new WebGpuError('pipeline', e instanceof Error ? e.message : String(e), {
            ...this.#where(key),
            cause: e,
          });
        });
      this.#pipelines.set(key, p);
    }
    return p;
  }

  /** A storage buffer holding `data` (4-byte elements; length 0 gets a 4-byte buffer). */
  upload(data: Float32Array | Int32Array | Uint32Array, label?: string): GPUBuffer {
    this.#assertLive(label);
    const size = Math.max(4, Math.ceil(data.byteLength / 4) * 4);
    const buf = this.device.createBuffer({
      ...(label !== undefined ? { label } : {}),
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
    });
    if (data.byteLength > 0)
      this.device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
    return buf;
  }

  /** A storage buffer holding raw bytes (length rounded up to 4; zero-padded). */
  uploadBytes(data: Uint8Array | Uint16Array, label?: string): GPUBuffer {
    this.#assertLive(label);
    const padded = Math.max(4, Math.ceil(data.byteLength / 4) * 4);
    const buf = this.device.createBuffer({
      ...(label !== undefined ? { label } : {}),
      size: padded,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
    });
    const whole = Math.floor(data.byteLength / 4) * 4;
    if (whole > 0) this.device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, whole);
    if (whole < data.byteLength) {
      const tail = new Uint8Array(4);
      tail.set(new Uint8Array(data.buffer, data.byteOffset + whole, data.byteLength - whole));
      this.device.queue.writeBuffer(buf, whole, tail.buffer, 0, 4);
    }
    return buf;
  }

  /** A uniform buffer holding `data` (padded to 16 bytes). */
  uniform(data: ArrayBuffer, label?: string): GPUBuffer {
    this.#assertLive(label);
    const size = Math.ceil(Math.max(16, data.byteLength) / 16) * 16;
    const buf = this.device.createBuffer({
      ...(label !== undefined ? { label } : {}),
      size,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.device.queue.writeBuffer(buf, 0, data);
    return buf;
  }

  /** An uninitialised storage buffer of `elements` 4-byte values, readable by {@link WebGpuBackend.readF32}. */
  output(elements: number, label?: string): GPUBuffer {
    this.#assertLive(label);
    return this.device.createBuffer({
      ...(label !== undefined ? { label } : {}),
      size: Math.max(4, elements * 4),
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    });
  }

  /** Copy the first `elements` float32 values of `buf` back to the host (waits for queued work). */
  async readF32(buf: GPUBuffer, elements: number): Promise<Float32Array> {
    const [out] = await this.readManyF32([[buf, elements]]);
    return out as Float32Array;
  }

  /**
   * Read several buffers back with one submit and one round of `mapAsync`: each entry is
   * `[buffer, elements, offsetElements?]` (float32 elements).
   */
  async readManyF32(list: ReadonlyArray<readonly [GPUBuffer, number, number?]>): Promise<Float32Array[]> {
    this.#assertLive('read-back');
    const enc = this.device.createCommandEncoder();
    const staging = list.map(([buf, n, off]) => {
      const size = Math.max(4, n * 4);
      const s = this.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      if (n > 0) enc.copyBufferToBuffer(buf, (off ?? 0) * 4, s, 0, size);
      return s;
    });
    this.device.queue.submit([enc.finish()]);
    try {
      await Promise.all(staging.map((s) => s.mapAsync(GPUMapMode.READ)));
    } catch (e) {
      for (const s of staging) s.destroy();
      throw new WebGpuError('read-back', e instanceof Error ? e.message : String(e), {
        ...this.#where(undefined),
        cause: e,
      });
    }
    return staging.map((s, i) => {
      const n = (list[i] as readonly [GPUBuffer, number, number?])[1];
      const out = new Float32Array(n);
      out.set(new Float32Array(s.getMappedRange(), 0, n));
      s.unmap();
      s.destroy();
      return out;
    });
  }

  /**
   * Encode one compute pass: bind `buffers` to group 0 bindings 0..k−1 in order and dispatch
   * `workgroups` workgroups, split over x and y when above the per-dimension limit (kernels
   * recover the flat index from `num_workgroups`).
   */
  dispatch(pipeline: GPUComputePipeline, buffers: GPUBuffer[], workgroups: number): void {
    this.#assertLive('dispatch');
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const maxX = this.device.limits.maxComputeWorkgroupsPerDimension;
    const x = Math.min(Math.max(1, workgroups), maxX);
    const y = Math.ceil(Math.max(1, workgroups) / x);
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(x, y);
    pass.end();
    this.device.queue.submit([enc.finish()]);
  }

  /** Destroy the device, empty the pipeline cache and release the Dawn instance. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#pipelines.clear();
    this.device.destroy();
    if (this.#gpu !== null) releaseDawnInstance(this.#gpu);
    this.#gpu = null;
  }

  /** The `GPU` object this backend holds (null after dispose). */
  get gpu(): GPU | null {
    return this.#gpu;
  }

  #where(op: string | undefined): { op?: string; adapter: string } {
    return op === undefined ? { adapter: this.adapterName } : { op, adapter: this.adapterName };
  }

  #throwIfLost(op: string | undefined): void {
    if (this.#lost !== null && !this.#disposed) {
      throw new WebGpuError(
        'device-lost',
        `device lost (${this.#lost.reason}): ${this.#lost.message}; create a new backend`,
        this.#where(op),
      );
    }
  }

  #throwIfUncaptured(op: string | undefined): void {
    if (this.#uncaptured.length > 0) {
      const errs = this.#uncaptured.splice(0);
      throw new WebGpuError(
        'validation',
        `uncaptured GPU error: ${errs.map((e) => e.message).join(' | ')}`,
        this.#where(op),
      );
    }
  }

  #assertLive(op: string | undefined): void {
    if (this.#disposed)
      throw new NotSupportedError('This WebGPU backend has been disposed; create a new one.');
    this.#throwIfLost(op);
  }
}

interface Found {
  gpu: GPU;
  adapter: GPUAdapter;
  source: WebGpuAdapterSource;
  featureLevel: 'core' | 'compatibility';
}

async function tryAdapter(
  gpu: GPU,
  opts: GPURequestAdapterOptions,
  what: string,
  attempts: string[],
): Promise<GPUAdapter | null> {
  try {
    const a = await gpu.requestAdapter(opts);
    if (a === null) attempts.push(`${what}: no adapter`);
    return a;
  } catch (e) {
    attempts.push(`${what}: requestAdapter failed (${e instanceof Error ? e.message : String(e)})`);
    return null;
  }
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** The `webgpu` package's exports we use (loaded dynamically: an optional peer dependency). */
interface DawnModule {
  create(flags: string[]): GPU;
  globals: object;
}

/**
 * Dawn instances by flags, shared by the backends of this process and released when the last
 * backend using one is disposed (creating one instance per device crashes some drivers).
 */
const dawnInstances = new Map<string, { gpu: GPU; refs: number }>();

function dawnInstance(dawn: DawnModule, flags: string[]): GPU {
  const key = JSON.stringify(flags);
  let entry = dawnInstances.get(key);
  if (entry === undefined) {
    entry = { gpu: dawn.create(flags), refs: 0 };
    dawnInstances.set(key, entry);
  }
  return entry.gpu;
}

function retainDawnInstance(gpu: GPU): void {
  for (const entry of dawnInstances.values()) if (entry.gpu === gpu) entry.refs++;
}

function releaseDawnInstance(gpu: GPU): void {
  for (const [key, entry] of dawnInstances) {
    if (entry.gpu === gpu && --entry.refs <= 0) dawnInstances.delete(key);
  }
}

async function findAdapter(options: WebGpuBackendOptions, attempts: string[]): Promise<Found | null> {
  const base: GPURequestAdapterOptions =
    options.powerPreference !== undefined ? { powerPreference: options.powerPreference } : {};
  if (options.gpu !== undefined) {
    const adapter = await tryAdapter(options.gpu, base, 'given GPU', attempts);
    return adapter === null ? null : { gpu: options.gpu, adapter, source: 'given', featureLevel: 'core' };
  }
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (!isNode()) {
    if (nav?.gpu === undefined) {
      attempts.push('navigator.gpu: absent (WebGPU not enabled in this browser)');
      return null;
    }
    const adapter = await tryAdapter(nav.gpu, base, 'navigator.gpu', attempts);
    return adapter === null ? null : { gpu: nav.gpu, adapter, source: 'navigator', featureLevel: 'core' };
  }
  let dawn: DawnModule;
  try {
    // dynamic so browser bundles never pull the native module; a variable specifier keeps
    // bundlers from resolving the optional peer dependency
    const spec = 'webgpu';
    dawn = (await import(/* @vite-ignore */ spec)) as DawnModule;
  } catch (e) {
    attempts.push(
      `package "webgpu" not loadable (${e instanceof Error ? e.message.split('\n')[0] : String(e)}): ${WEBGPU_INSTALL_HINT}`,
    );
    return null;
  }
  Object.assign(globalThis, dawn.globals); // GPUBufferUsage, GPUMapMode, ... as in browsers
  if (options.adapter !== 'dawn-opengles') {
    const gpu = dawnInstance(dawn, options.dawnFlags ?? []);
    const adapter = await tryAdapter(gpu, base, 'Dawn default (Vulkan)', attempts);
    if (adapter !== null) return { gpu, adapter, source: 'dawn', featureLevel: 'core' };
    if (options.adapter === 'dawn' || options.allowCompatibilityFallback === false) return null;
  }
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  if (env !== undefined && env.EGL_PLATFORM === undefined) {
    // reaches EGL only on the main thread before Dawn first opens EGL; worker threads and
    // browsers need it set before the process starts
    env.EGL_PLATFORM = 'surfaceless';
    attempts.push(
      'Dawn OpenGL ES: EGL_PLATFORM was not set when the process started (set EGL_PLATFORM=surfaceless before it starts on a machine without a display)',
    );
  }
  const gles = dawnInstance(dawn, ['backend=opengles']);
  const compat = await tryAdapter(
    gles,
    { ...base, featureLevel: 'compatibility' },
    'Dawn OpenGL ES',
    attempts,
  );
  return compat === null
    ? null
    : { gpu: gles, adapter: compat, source: 'dawn-opengles', featureLevel: 'compatibility' };
}

/**
 * Limits every kernel of this package needs, asked of the adapter at `requestDevice` (capped at
 * what the adapter has): large storage buffers, 8 storage buffers per stage, 256 invocations per
 * workgroup (OpenGL ES defaults to 128; the kernels size their workgroups from the device's
 * limits, so a smaller grant still runs correctly).
 */
function requiredLimits(adapter: GPUAdapter, cap: number): Record<string, number> {
  const lim = adapter.limits;
  return {
    maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
    maxBufferSize: lim.maxBufferSize,
    maxStorageBuffersPerShaderStage: Math.min(8, lim.maxStorageBuffersPerShaderStage),
    maxComputeInvocationsPerWorkgroup: Math.min(cap, lim.maxComputeInvocationsPerWorkgroup),
    maxComputeWorkgroupSizeX: Math.min(cap, lim.maxComputeWorkgroupSizeX),
    maxComputeWorkgroupStorageSize: Math.min(16384, lim.maxComputeWorkgroupStorageSize),
  };
}

/**
 * Create a WebGPU backend: in browsers from `navigator.gpu`; in Node from Dawn (the optional
 * `webgpu` package, imported dynamically), trying the default adapter (Vulkan: a GPU driver or
 * Mesa's lavapipe) and then Dawn's OpenGL ES compatibility adapter. The device asks for the
 * limits the kernels need (storage sizes, 256 invocations per workgroup) and `shader-f16` when
 * the adapter has it. Resolves to null when no adapter exists ({@link getBackend} says why);
 * rejects with {@link WebGpuError} `device-request` when the adapter refuses a device. Call
 * `dispose()` when done so the process can exit.
 */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend | null> {
  return (await openBackend(options, [])).backend;
}

async function openBackend(
  options: WebGpuBackendOptions,
  attempts: string[],
): Promise<{ backend: WebGpuBackend | null }> {
  const found = await findAdapter(options, attempts);
  if (found === null) return { backend: null };
  const { adapter } = found;
  const features: GPUFeatureName[] = adapter.features.has('shader-f16') ? ['shader-f16'] : [];
  const info = adapter.info;
  const description: WebGpuAdapterDescription = {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    source: found.source,
    featureLevel: found.featureLevel,
  };
  const cap = options.maxWorkgroupSize ?? PREFERRED_WORKGROUP_SIZE;
  if (!Number.isInteger(Math.log2(cap)) || cap < 1 || cap > PREFERRED_WORKGROUP_SIZE) {
    throw new InvalidArgumentError(
      'maxWorkgroupSize',
      `must be a power of two in [1, ${PREFERRED_WORKGROUP_SIZE}], got ${cap}`,
    );
  }
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({
      requiredLimits: requiredLimits(adapter, cap),
      requiredFeatures: features,
    });
  } catch (e) {
    throw new WebGpuError('device-request', e instanceof Error ? e.message : String(e), {
      adapter: describeAdapter(description),
      cause: e,
    });
  }
  return { backend: new WebGpuBackend(found.gpu, adapter, device, description, cap) };
}

/** Which backend {@link getBackend} should return. */
export type BackendKind = 'cpu' | 'webgpu' | 'auto';

/** Options of {@link getBackend}: those of {@link createWebGpuBackend} plus a selection callback. */
export interface GetBackendOptions extends WebGpuBackendOptions {
  /**
   * Run {@link selfTestWebGpu} on the new device before returning it (default true): a device
   * that computes a wrong answer is not chosen (`auto` falls back to the CPU and says why;
   * `webgpu` throws `WebGpuError` `self-test`).
   */
  selfTest?: boolean;
  /** Called once with the selection before the backend is returned (e.g. `(s) => console.error(s.message)`). */
  onSelect?: (selection: BackendSelection) => void;
}

/**
 * `cpu`: the CPU backend. `webgpu`: a new WebGPU backend, or {@link WebGpuUnavailableError}
 * (a `NotSupportedError`) listing what was tried when no adapter exists. `auto`: WebGPU when an
 * adapter exists and gives a device, else the CPU backend; the choice is made here, once, before
 * any work, and recorded on the result's `selection` (chosen backend, adapter, why it fell back,
 * and a printable `message`). Dispose the result.
 */
export async function getBackend(
  kind: BackendKind = 'auto',
  options: GetBackendOptions = {},
): Promise<Backend> {
  const done = <B extends Backend>(b: B): B => {
    options.onSelect?.(b.selection);
    return b;
  };
  if (kind === 'cpu') return done(cpuBackend);
  const attempts: string[] = [];
  let gpu: WebGpuBackend | null;
  try {
    gpu = (await openBackend(options, attempts)).backend;
  } catch (e) {
    if (kind === 'webgpu') throw e;
    const why = e instanceof Error ? e.message : String(e);
    return done(Object.freeze({ name: 'cpu' as const, selection: cpuSelection('auto', why), dispose: noop }));
  }
  if (gpu !== null) {
    if (options.selfTest !== false) {
      let why: string | null;
      try {
        why = await selfTestWebGpu(gpu);
      } catch (e) {
        why = e instanceof Error ? e.message : String(e);
      }
      if (why !== null) {
        const name = gpu.adapterName;
        gpu.dispose();
        const err = new WebGpuError('self-test', why, { adapter: name });
        if (kind === 'webgpu') throw err;
        return done(
          Object.freeze({
            name: 'cpu' as const,
            selection: cpuSelection('auto', err.message),
            dispose: noop,
          }),
        );
      }
    }
    gpu.selection = { ...gpu.selection, requested: kind };
    return done(gpu);
  }
  if (kind === 'webgpu') throw new WebGpuUnavailableError(attempts);
  return done(
    Object.freeze({
      name: 'cpu' as const,
      selection: cpuSelection('auto', attempts.join('; ') || 'no WebGPU adapter'),
      dispose: noop,
    }),
  );
}

/**
 * A known-answer check of a WebGPU backend: the log-prob + entropy kernel on a small fixed input
 * (3 rows × 515 logits, so the workgroup reduction and a ragged tail are exercised) against the
 * CPU path. Resolves to null when they agree to 1e-4, else to a reason; GPU errors reject with
 * `WebGpuError`. Compiles the pipeline the log-prob op uses anyway.
 */
export async function selfTestWebGpu(backend: WebGpuBackend): Promise<string | null> {
  const rows = 3;
  const vocab = 515;
  const logits = new Float32Array(rows * vocab);
  for (let i = 0; i < logits.length; i++) logits[i] = ((i * 7919) % 113) / 16 - 3;
  const inputs = { logits, labels: [5, 514, 0], rows, vocab, temperature: 0.8 };
  const got = await tokenLogProbsEntropyWebGpu(backend, inputs);
  const ref = tokenLogProbsEntropyCpu(inputs);
  for (const [what, a, r] of [
    ['log-prob', got.logProbs, ref.logProbs],
    ['entropy', got.entropy, ref.entropy],
  ] as const) {
    for (let i = 0; i < rows; i++) {
      const x = a[i] as number;
      const y = r[i] as number;
      if (!(Math.abs(x - y) <= 1e-5 + 1e-4 * Math.abs(y)))
        return `self-test: ${what} of row ${i} is ${x} on the GPU, ${y} on the CPU`;
    }
  }
  return null;
}
