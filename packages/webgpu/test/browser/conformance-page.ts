/**
 * Browser entry of the conformance suite: runs every case on the CPU backend and on
 * `navigator.gpu` (through getBackend('webgpu')), then POSTs the reports to `/result` on the page's
 * own origin (the local server of test/browser/run-browser-conformance.mjs).
 */
import { cpuBackend, getBackend, type WebGpuBackend } from '../../src/index.js';
import { type ConformanceReport, runConformance } from '../conformance-cases.js';

interface PageResult {
  userAgent: string;
  selection: string | null;
  adapter: { description: string; features: string[]; maxComputeInvocationsPerWorkgroup: number } | null;
  workgroupSize: number | null;
  gpuError: string | null;
  reports: ConformanceReport[];
}

async function main(): Promise<PageResult> {
  const result: PageResult = {
    userAgent: (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? '',
    selection: null,
    adapter: null,
    workgroupSize: null,
    gpuError: null,
    reports: [],
  };
  result.reports.push(await runConformance(cpuBackend));
  let gpu: WebGpuBackend | null = null;
  try {
    gpu = (await getBackend('webgpu')) as WebGpuBackend;
    result.selection = gpu.selection.message;
    result.workgroupSize = gpu.workgroupSize;
    result.adapter = {
      description: gpu.adapterName,
      features: [...gpu.adapter.features].sort(),
      maxComputeInvocationsPerWorkgroup: gpu.device.limits.maxComputeInvocationsPerWorkgroup,
    };
    result.reports.push(await runConformance(gpu));
  } catch (e) {
    result.gpuError = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } finally {
    gpu?.dispose();
  }
  return result;
}

main()
  .catch((e: unknown) => ({ fatal: String(e) }))
  .then((r) => fetch('/result', { method: 'POST', body: JSON.stringify(r) }));
