/**
 * The WebGPU runtime: adapter discovery (Dawn through the `webgpu` npm package in Node,
 * `navigator.gpu` in browsers), a compute-pipeline cache keyed by kernel name plus the parameters
 * that change the WGSL text (never run-time sizes, which travel as uniforms), and buffer helpers.
 *
 * Pattern: tfjs-backend-webgpu (tensorflow/tfjs, tfjs-backend-webgpu/src/backend_webgpu.ts,
 * `getAndSavePipeline` keyed by `program.shaderKey`) and onnxruntime-web
 * (microsoft/onnxruntime, js/web/lib/wasm/jsep/webgpu/program-manager.ts, `getArtifact(key)`).
 *
 * @module
 */

import { NotSupportedError } from '@judgekit/core';
import type { create as createDawn } from 'webgpu';

/** The Dawn `GPU` object returned by the `webgpu` package's `create()`. */
type DawnGpu = ReturnType<typeof createDawn>;

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
  source: 'navigator' | 'dawn' | 'dawn-opengles' | 'given';
}

/** A compute backend: the CPU reference or a WebGPU device. */
export type Backend = CpuBackend | WebGpuBackend;

/** The CPU backend: every op runs the float64 reference of @judgekit/grpo / @judgekit/baselines. */
export interface CpuBackend {
  /** Backend name. */
  readonly name: 'cpu';
  /** No-op (nothing to release). */
  dispose(): void;
}

/** The shared CPU backend instance. */
export const cpuBackend: CpuBackend = Object.freeze({ name: 'cpu' as const, dispose(): void {} });

/** A live WebGPU device plus the pipeline cache and buffer helpers the kernels use. */
export class WebGpuBackend {
  /** Backend name. */
  readonly name = 'webgpu' as const;
  /** The device (destroyed by {@link WebGpuBackend.dispose}). */
  readonly device: GPUDevice;
  /** The adapter it came from. */
  readonly adapter: GPUAdapter;
  /** What the adapter says about itself. */
  readonly adapterDescription: WebGpuAdapterDescription;
  /** The `GPU` object; held so Dawn's instance is not garbage-collected while the device lives. */
  #gpu: GPU | null;
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  #disposed = false;

  /** @internal Use {@link createWebGpuBackend}. */
  constructor(gpu: GPU, adapter: GPUAdapter, device: GPUDevice, description: WebGpuAdapterDescription) {
    this.#gpu = gpu;
    this.adapter = adapter;
    this.device = device;
    this.adapterDescription = description;
  }

  /** Whether {@link WebGpuBackend.dispose} has run. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /** Number of compiled pipelines in the cache. */
  get pipelineCacheSize(): number {
    return this.#pipelines.size;
  }

  /**
   * The compute pipeline for `key`, compiled from `code()` on first use. The key must hold the
   * kernel name and every parameter that changes the WGSL text, and nothing else (sizes are
   * uniforms, so one pipeline serves all shapes).
   */
  pipeline(key: string, code: () => string, entryPoint = 'main'): GPUComputePipeline {
    this.#assertLive();
    let p = this.#pipelines.get(key);
    if (p === undefined) {
      const module = this.device.createShaderModule({ label: key, code: code() });
      p = this.device.createComputePipeline({ label: key, layout: 'auto', compute: { module, entryPoint } });
      this.#pipelines.set(key, p);
    }
    return p;
  }

  /** A storage buffer holding `data` (4-byte elements; length 0 gets a 4-byte buffer). */
  upload(data: Float32Array | Int32Array | Uint32Array, label?: string): GPUBuffer {
    this.#assertLive();
    const size = Math.max(4, data.byteLength);
    const buf = this.device.createBuffer({
      ...(label !== undefined ? { label } : {}),
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
    });
    if (data.byteLength > 0)
      this.device.queue.writeBuffer(buf, 0, data.buffer, data.byteOffset, data.byteLength);
    return buf;
  }

  /** A uniform buffer holding `data` (padded to 16 bytes). */
  uniform(data: ArrayBuffer, label?: string): GPUBuffer {
    this.#assertLive();
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
    this.#assertLive();
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
    this.#assertLive();
    const enc = this.device.createCommandEncoder();
    const staging = list.map(([buf, n, off]) => {
      const size = Math.max(4, n * 4);
      const s = this.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
      if (n > 0) enc.copyBufferToBuffer(buf, (off ?? 0) * 4, s, 0, size);
      return s;
    });
    this.device.queue.submit([enc.finish()]);
    await Promise.all(staging.map((s) => s.mapAsync(GPUMapMode.READ)));
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
    this.#assertLive();
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
    this.#gpu = null;
  }

  /** The `GPU` object this backend holds (null after dispose). */
  get gpu(): GPU | null {
    return this.#gpu;
  }

  #assertLive(): void {
    if (this.#disposed)
      throw new NotSupportedError('This WebGPU backend has been disposed; create a new one.');
  }
}

interface Found {
  gpu: GPU;
  adapter: GPUAdapter;
  source: WebGpuAdapterDescription['source'];
}

async function tryAdapter(gpu: GPU, opts: GPURequestAdapterOptions): Promise<GPUAdapter | null> {
  try {
    return await gpu.requestAdapter(opts);
  } catch {
    return null;
  }
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

async function findAdapter(options: WebGpuBackendOptions): Promise<Found | null> {
  const base: GPURequestAdapterOptions =
    options.powerPreference !== undefined ? { powerPreference: options.powerPreference } : {};
  if (options.gpu !== undefined) {
    const adapter = await tryAdapter(options.gpu, base);
    return adapter === null ? null : { gpu: options.gpu, adapter, source: 'given' };
  }
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu !== undefined && !isNode()) {
    const adapter = await tryAdapter(nav.gpu, base);
    return adapter === null ? null : { gpu: nav.gpu, adapter, source: 'navigator' };
  }
  if (!isNode()) return null;
  let dawn: typeof import('webgpu');
  try {
    // dynamic so browser bundles never pull the native module
    dawn = await import('webgpu');
  } catch {
    return null;
  }
  Object.assign(globalThis, dawn.globals); // GPUBufferUsage, GPUMapMode, ... as in browsers
  let gpu: DawnGpu | null = dawn.create(options.dawnFlags ?? []);
  const adapter = await tryAdapter(gpu, base);
  if (adapter !== null) return { gpu, adapter, source: 'dawn' };
  gpu = null;
  if (options.allowCompatibilityFallback === false) return null;
  const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env;
  if (env !== undefined && env.EGL_PLATFORM === undefined) env.EGL_PLATFORM = 'surfaceless';
  const gles = dawn.create(['backend=opengles']);
  const compat = await tryAdapter(gles, { ...base, featureLevel: 'compatibility' });
  return compat === null ? null : { gpu: gles, adapter: compat, source: 'dawn-opengles' };
}

/**
 * Create a WebGPU backend: in browsers from `navigator.gpu`; in Node from Dawn (the `webgpu`
 * package, imported dynamically), trying the default adapter (Vulkan: a GPU driver or Mesa's
 * lavapipe) and then Dawn's OpenGL ES compatibility adapter. The device asks for the adapter's
 * storage-buffer limits. Resolves to null when no adapter exists; call `dispose()` when done so
 * the process can exit.
 */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend | null> {
  const found = await findAdapter(options);
  if (found === null) return null;
  const { adapter } = found;
  const lim = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: lim.maxStorageBufferBindingSize,
      maxBufferSize: lim.maxBufferSize,
      maxStorageBuffersPerShaderStage: lim.maxStorageBuffersPerShaderStage,
    },
  });
  const info = adapter.info;
  return new WebGpuBackend(found.gpu, adapter, device, {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    device: info?.device ?? '',
    description: info?.description ?? '',
    source: found.source,
  });
}

/** Which backend {@link getBackend} should return. */
export type BackendKind = 'cpu' | 'webgpu' | 'auto';

/**
 * `cpu`: the CPU backend. `webgpu`: a new WebGPU backend, or `NotSupportedError` when no adapter
 * exists. `auto`: WebGPU when an adapter exists, else the CPU backend. Dispose the result.
 */
export async function getBackend(
  kind: BackendKind = 'auto',
  options?: WebGpuBackendOptions,
): Promise<Backend> {
  if (kind === 'cpu') return cpuBackend;
  const gpu = await createWebGpuBackend(options);
  if (gpu !== null) return gpu;
  if (kind === 'webgpu') {
    throw new NotSupportedError(
      'No WebGPU adapter: in Node install a Vulkan driver (or Mesa lavapipe: mesa-vulkan-drivers ≥ 24 with libvulkan1) or OpenGL ES; in browsers enable WebGPU. Use backend "auto" or "cpu" to run on the CPU.',
    );
  }
  return cpuBackend;
}
