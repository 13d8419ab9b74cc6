/**
 * The runtime's guard: backend selection and its report, typed errors instead of numbers when
 * the device fails (bad shader, over-limit workgroup, bad binding, lost device), workgroup sizing
 * from the device's limits, the pipeline cache. GPU cases need an adapter (skipped, and named so,
 * without one unless JUDGEKIT_REQUIRE_GPU=1, where conformance.test.ts fails the run).
 */
import { NotSupportedError } from '@judgekit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { conformanceCases } from '../test/conformance-cases.js';
import { runOp } from './kernel-registry.js';
import {
  type BackendSelection,
  cpuBackend,
  createWebGpuBackend,
  getBackend,
  type WebGpuBackend,
} from './webgpu-backend.js';
import { WebGpuError, WebGpuUnavailableError } from './webgpu-errors.js';

const adapterKind = process.env.JUDGEKIT_WEBGPU_ADAPTER as 'dawn' | 'dawn-opengles' | undefined;
const opts = adapterKind !== undefined ? { adapter: adapterKind } : {};
const gpu = await createWebGpuBackend(opts);
const skip = gpu === null ? ' (skipped: no WebGPU adapter)' : '';
afterAll(() => gpu?.dispose());

/** A `GPU` whose adapter exists but refuses devices, and one with no adapter. */
const refusingGpu = {
  requestAdapter: async () => ({
    limits: {
      maxStorageBufferBindingSize: 1 << 20,
      maxBufferSize: 1 << 20,
      maxStorageBuffersPerShaderStage: 8,
      maxComputeInvocationsPerWorkgroup: 256,
      maxComputeWorkgroupSizeX: 256,
      maxComputeWorkgroupStorageSize: 16384,
    },
    features: new Set<string>(),
    info: { vendor: 'fake', architecture: '', device: '', description: 'refusing adapter' },
    requestDevice: async () => {
      throw new Error('device creation refused');
    },
  }),
} as unknown as GPU;
const emptyGpu = { requestAdapter: async () => null } as unknown as GPU;

describe('backend selection', () => {
  it('getBackend("cpu") is the CPU backend and says so', async () => {
    const seen: BackendSelection[] = [];
    const b = await getBackend('cpu', { onSelect: (s) => seen.push(s) });
    expect(b).toBe(cpuBackend);
    expect(seen).toHaveLength(1);
    expect(b.selection.message).toBe('judgekit/webgpu: cpu backend (float64 reference)');
  });

  it('auto without an adapter falls back to the CPU once, before work, and says why', async () => {
    const seen: BackendSelection[] = [];
    const b = await getBackend('auto', { gpu: emptyGpu, onSelect: (s) => seen.push(s) });
    expect(b.name).toBe('cpu');
    expect(seen).toEqual([b.selection]);
    expect(b.selection).toMatchObject({ requested: 'auto', chosen: 'cpu', adapter: null });
    expect(b.selection.fallbackReason).toBe('given GPU: no adapter');
    expect(b.selection.message).toContain('WebGPU unavailable: given GPU: no adapter');
  });

  it('auto falls back when the adapter refuses a device; webgpu throws WebGpuError device-request', async () => {
    const b = await getBackend('auto', { gpu: refusingGpu });
    expect(b.name).toBe('cpu');
    expect(b.selection.fallbackReason).toContain('device creation refused');
    const e = await getBackend('webgpu', { gpu: refusingGpu }).catch((x: unknown) => x);
    expect(WebGpuError.isInstance(e) && e.kind).toBe('device-request');
    expect((e as Error).message).toContain('refusing adapter');
  });

  it('getBackend("webgpu") without an adapter throws WebGpuUnavailableError listing what was tried', async () => {
    const e = await getBackend('webgpu', { gpu: emptyGpu }).catch((x: unknown) => x);
    expect(NotSupportedError.isInstance(e)).toBe(true);
    expect(e).toBeInstanceOf(WebGpuUnavailableError);
    expect((e as WebGpuUnavailableError).attempts).toEqual(['given GPU: no adapter']);
    expect((e as Error).message).toContain('npm install webgpu');
  });

  it('rejects a maxWorkgroupSize that is not a power of two', async () => {
    await expect(createWebGpuBackend({ gpu: refusingGpu, maxWorkgroupSize: 100 })).rejects.toThrow(
      /maxWorkgroupSize/,
    );
  });

  it.skipIf(gpu === null)(
    `auto does not choose a device that computes wrong numbers (self-test)${skip}`,
    async () => {
      // the real adapter, whose device's queue.writeBuffer uploads zeros instead of the data
      const real = (gpu as WebGpuBackend).gpu as GPU;
      const compat = adapterKind === 'dawn-opengles' ? { featureLevel: 'compatibility' } : {};
      const corrupting = {
        requestAdapter: async (o: GPURequestAdapterOptions) => {
          const a = (await real.requestAdapter({ ...o, ...compat })) as GPUAdapter;
          return new Proxy(a, {
            get(t, k) {
              if (k === 'requestDevice') {
                return async (d: GPUDeviceDescriptor) => {
                  const dev = await t.requestDevice(d);
                  const q = dev.queue;
                  const write = q.writeBuffer.bind(q);
                  q.writeBuffer = ((
                    buf: GPUBuffer,
                    off: number,
                    data: ArrayBuffer,
                    dOff = 0,
                    size?: number,
                  ) =>
                    write(
                      buf,
                      off,
                      new Uint8Array(size ?? data.byteLength - dOff),
                      0,
                    )) as typeof q.writeBuffer;
                  return dev;
                };
              }
              const v = Reflect.get(t, k, t);
              return typeof v === 'function' ? v.bind(t) : v;
            },
          });
        },
      } as unknown as GPU;
      const b = await getBackend('auto', { gpu: corrupting });
      expect(b.name).toBe('cpu');
      expect(b.selection.fallbackReason).toMatch(/WebGPU self-test error .*self-test: log-prob of row 0 is/);
      const e = await getBackend('webgpu', { gpu: corrupting }).catch((x: unknown) => x);
      expect(WebGpuError.isInstance(e) && e.kind).toBe('self-test');
      const unchecked = await getBackend('webgpu', { gpu: corrupting, selfTest: false });
      expect(unchecked.name).toBe('webgpu');
      unchecked.dispose();
    },
  );

  it.skipIf(gpu === null)(`auto on this machine reports the adapter it chose${skip}`, async () => {
    const b = await getBackend('auto', opts);
    try {
      expect(b.name).toBe('webgpu');
      expect(b.selection.chosen).toBe('webgpu');
      expect(b.selection.adapter?.source).toBe((gpu as WebGpuBackend).adapterDescription.source);
      expect(b.selection.message).toMatch(
        /^judgekit\/webgpu: webgpu on ".+" \((dawn|dawn-opengles), (core|compatibility), workgroup \d+\)$/,
      );
    } finally {
      b.dispose();
    }
  });
});

describe(`GPU errors become typed errors, never numbers${skip}`, () => {
  it.skipIf(gpu === null)('a shader the device rejects', async () => {
    const b = gpu as WebGpuBackend;
    const before = b.pipelineCacheSize;
    const e = await b
      .run('bad-shader', async () => {
        await b.pipeline(
          'test/bad-shader',
          () => '@compute @workgroup_size(1) fn main() { let x: f32 = undefined_thing; }',
        );
      })
      .catch((x: unknown) => x);
    expect(WebGpuError.isInstance(e)).toBe(true);
    expect((e as WebGpuError).op).toBe('bad-shader');
    expect(b.pipelineCacheSize).toBe(before);
  });

  it.skipIf(gpu === null)('a workgroup above the device limit (the OpenGL ES 128 failure)', async () => {
    const b = gpu as WebGpuBackend;
    const over = b.device.limits.maxComputeInvocationsPerWorkgroup * 2;
    const before = b.pipelineCacheSize;
    const e = await b
      .run('over-limit', async () => {
        await b.pipeline(`test/over${over}`, () => `@compute @workgroup_size(${over}) fn main() {}`);
      })
      .catch((x: unknown) => x);
    expect(WebGpuError.isInstance(e)).toBe(true);
    expect(['pipeline', 'validation']).toContain((e as WebGpuError).kind);
    expect(b.pipelineCacheSize).toBe(before);
  });

  it.skipIf(gpu === null)('a dispatch with a buffer too small for its binding', async () => {
    const b = gpu as WebGpuBackend;
    const e = await b
      .run('bad-binding', async () => {
        const p = await b.pipeline(
          'test/needs-64-bytes',
          () => `@group(0) @binding(0) var<storage, read_write> o: array<vec4<f32>, 4>;
@compute @workgroup_size(1) fn main() { o[0] = vec4<f32>(1.0); }`,
        );
        const small = b.output(1);
        b.dispatch(p, [small], 1);
        return b.readF32(small, 1);
      })
      .catch((x: unknown) => x);
    expect(WebGpuError.isInstance(e) && e.kind).toBe('validation');
  });

  it.skipIf(gpu === null)('an error outside any op (uncapturederror) fails the next op', async () => {
    const b = (await createWebGpuBackend(opts)) as WebGpuBackend;
    try {
      const fired = new Promise<void>((r) => b.device.addEventListener('uncapturederror', () => r()));
      // MAP_READ may only be combined with COPY_DST: a validation error no scope catches
      b.device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.STORAGE });
      await fired; // delivered to the backend's listener too
      const e = await runOp(
        'dpoSigmoidLoss',
        { chosenLogps: [-1], rejectedLogps: [-2], refChosenLogps: [-1], refRejectedLogps: [-2] },
        { backend: b },
      ).catch((x: unknown) => x);
      expect(WebGpuError.isInstance(e) && e.kind).toBe('validation');
      expect((e as Error).message).toContain('uncaptured GPU error');
    } finally {
      b.dispose();
    }
  });

  it.skipIf(gpu === null)('the backend keeps working after a failed op', async () => {
    const b = gpu as WebGpuBackend;
    const r = await runOp(
      'tokenLogProbsEntropy',
      { logits: new Float32Array([0, 0]), labels: [1], rows: 1, vocab: 2 },
      { backend: b },
    );
    expect(r.logProbs[0]).toBeCloseTo(-Math.LN2, 6);
  });

  it.skipIf(gpu === null)('a lost device rejects with WebGpuError device-lost', async () => {
    const b = (await createWebGpuBackend(opts)) as WebGpuBackend;
    b.device.destroy(); // not through dispose(): the backend sees a device it did not release
    await b.device.lost;
    const e = await runOp(
      'dpoSigmoidLoss',
      { chosenLogps: [-1], rejectedLogps: [-2], refChosenLogps: [-1], refRejectedLogps: [-2] },
      { backend: b },
    ).catch((x: unknown) => x);
    expect(WebGpuError.isInstance(e) && e.kind).toBe('device-lost');
    b.dispose();
  });

  it.skipIf(gpu === null)('a disposed backend refuses work', async () => {
    const b = (await createWebGpuBackend(opts)) as WebGpuBackend;
    b.dispose();
    b.dispose(); // idempotent
    expect(b.disposed).toBe(true);
    await expect(
      runOp(
        'tokenLogProbsEntropy',
        { logits: new Float32Array(2), labels: [0], rows: 1, vocab: 2 },
        { backend: b },
      ),
    ).rejects.toSatisfy((e) => NotSupportedError.isInstance(e));
  });
});

describe(`workgroup size from the device's limits${skip}`, () => {
  it.skipIf(gpu === null)('defaults to 256 when the adapter allows it', () => {
    expect((gpu as WebGpuBackend).workgroupSize).toBe(256);
  });

  it.skipIf(gpu === null)(
    'a device capped at 64 invocations runs the kernels at 64 (the OpenGL ES child runs the whole suite at 128)',
    async () => {
      const b = (await createWebGpuBackend({ ...opts, maxWorkgroupSize: 64 })) as WebGpuBackend;
      try {
        expect(b.workgroupSize).toBe(64);
        expect(b.device.limits.maxComputeInvocationsPerWorkgroup).toBeGreaterThanOrEqual(64);
        const cases = conformanceCases().filter((c) => c.name.startsWith('17×257'));
        expect(cases).toHaveLength(1);
        await (cases[0] as (typeof cases)[0]).run(b);
        expect(b.completedOps).toBeGreaterThan(0);
      } finally {
        b.dispose();
      }
    },
    300_000,
  );

  it.skipIf(gpu === null)('caches one pipeline per kernel and workgroup size across shapes', async () => {
    const b = gpu as WebGpuBackend;
    const run = (rows: number, vocab: number) =>
      runOp(
        'tokenLogProbsEntropy',
        { logits: new Float32Array(rows * vocab), labels: new Int32Array(rows), rows, vocab },
        { backend: b },
      );
    await run(3, 11);
    const size = b.pipelineCacheSize;
    await run(9, 700);
    await run(2, 5000);
    expect(b.pipelineCacheSize).toBe(size);
  });
});
