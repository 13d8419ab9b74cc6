/**
 * The conformance suite (test/conformance-cases.ts) in vitest: every case on the CPU backend and
 * on the WebGPU adapter this process finds (Dawn's default adapter: a GPU or Mesa lavapipe;
 * `JUDGEKIT_WEBGPU_ADAPTER=dawn-opengles` picks the OpenGL ES compatibility adapter, which needs
 * `EGL_PLATFORM=surfaceless` set before the process starts; `JUDGEKIT_WEBGPU_MAX_WORKGROUP` caps
 * the workgroup size). With `JUDGEKIT_REQUIRE_GPU=1` a
 * missing adapter fails the run; without it the WebGPU cases are skipped and their names say so.
 * The number of cases that ran on the GPU is printed at the end.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { conformanceCases } from '../test/conformance-cases.js';
import { getBackend, type WebGpuBackend } from './webgpu-backend.js';
import { cpuBackend } from './webgpu-backend.js';

const env = process.env;
const requireGpu = env.JUDGEKIT_REQUIRE_GPU === '1';
const adapterKind = env.JUDGEKIT_WEBGPU_ADAPTER as 'dawn' | 'dawn-opengles' | undefined;
const maxWg = env.JUDGEKIT_WEBGPU_MAX_WORKGROUP;
const chosen = await getBackend('auto', {
  ...(adapterKind !== undefined ? { adapter: adapterKind } : {}),
  ...(maxWg !== undefined ? { maxWorkgroupSize: Number(maxWg) } : {}),
});
const gpu = chosen.name === 'webgpu' ? chosen : null;
let gpuCases = 0;
afterAll(() => {
  console.log(
    gpu === null
      ? `conformance: 0 GPU cases executed (${chosen.selection.message})`
      : `conformance: ${gpuCases} GPU cases executed on "${gpu.adapterName}" (${gpu.adapterDescription.source}, workgroup ${gpu.workgroupSize}, ${gpu.completedOps} device ops)`,
  );
  chosen.dispose();
});

it(`a WebGPU adapter is present${requireGpu ? ' (required: JUDGEKIT_REQUIRE_GPU=1)' : ''}`, (ctx) => {
  if (gpu === null && !requireGpu) ctx.skip(chosen.selection.message);
  expect(gpu, chosen.selection.message).not.toBeNull();
  if (adapterKind !== undefined) expect((gpu as WebGpuBackend).adapterDescription.source).toBe(adapterKind);
});

const cases = conformanceCases();
for (const [label, backend] of [
  ['cpu', cpuBackend],
  [gpu === null ? 'webgpu (skipped: no WebGPU adapter)' : `webgpu (${gpu.adapterName})`, gpu],
] as const) {
  describe(`conformance on ${label}`, () => {
    for (const c of cases) {
      // a GPU case may compile a pipeline: seconds on a software adapter under load
      it.skipIf(backend === null)(
        `${c.group}: ${c.name}`,
        async () => {
          await c.run(backend as NonNullable<typeof backend>);
          if (backend?.name === 'webgpu') gpuCases++;
        },
        300_000,
      );
    }
  });
}
