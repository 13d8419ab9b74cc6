/**
 * The conformance suite on Dawn's OpenGL ES compatibility adapter. EGL reads `EGL_PLATFORM` when
 * Dawn first opens it, and a vitest worker thread cannot set the process environment, so the
 * suite runs in a child process started with `EGL_PLATFORM=surfaceless`, no Vulkan ICD
 * (`VK_DRIVER_FILES=/nonexistent.json`) and `JUDGEKIT_WEBGPU_ADAPTER=dawn-opengles`, at 128
 * invocations per workgroup (OpenGL ES's default limit).
 * With `JUDGEKIT_REQUIRE_GPU=1` a missing OpenGL ES adapter fails; without it this test is
 * skipped and says why. Prints how many GPU cases ran on the adapter.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

interface Report {
  numPassedTests: number;
  numFailedTests: number;
  testResults: Array<{
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

it('the conformance suite passes on the OpenGL ES compatibility adapter (child process)', async (ctx) => {
  const dir = mkdtempSync(join(tmpdir(), 'judgekit-gles-'));
  const out = join(dir, 'report.json');
  try {
    const stdout = await new Promise<string>((resolve) => {
      execFile(
        process.execPath,
        [
          vitestBin,
          'run',
          'src/conformance.test.ts',
          '--reporter=default',
          '--reporter=json',
          `--outputFile=${out}`,
        ],
        {
          cwd: pkg,
          env: {
            ...process.env,
            EGL_PLATFORM: 'surfaceless',
            VK_DRIVER_FILES: '/nonexistent.json',
            VK_ICD_FILENAMES: '/nonexistent.json',
            JUDGEKIT_WEBGPU_ADAPTER: 'dawn-opengles',
            // OpenGL ES's default limit: the suite runs at 128 invocations per workgroup here
            JUDGEKIT_WEBGPU_MAX_WORKGROUP: '128',
            NO_COLOR: '1',
            FORCE_COLOR: '0',
          },
          timeout: 280_000,
          maxBuffer: 64 << 20,
        },
        (_err, so, se) => resolve(`${so}\n${se}`),
      );
    });
    const report = JSON.parse(readFileSync(out, 'utf8')) as Report;
    const results = report.testResults.flatMap((f) => f.assertionResults);
    const line = stdout.split('\n').find((l) => l.startsWith('conformance: ')) ?? '(no summary line)';
    console.log(`OpenGL ES child process: ${line}`);
    const failed = results.filter((r) => r.status === 'failed');
    expect(failed.map((r) => `${r.fullName}: ${r.failureMessages[0]?.split('\n')[0]}`)).toEqual([]);
    const presence = results.find((r) => r.fullName.startsWith('a WebGPU adapter is present'));
    if (presence?.status === 'skipped') ctx.skip(`no OpenGL ES adapter: ${line}`);
    const gpuCases = results.filter(
      (r) => r.fullName.startsWith('conformance on webgpu') && r.status === 'passed',
    );
    const cpuCases = results.filter((r) => r.fullName.startsWith('conformance on cpu'));
    expect(gpuCases.length).toBe(cpuCases.length);
    expect(gpuCases.length).toBeGreaterThan(20);
    expect(line).toMatch(
      new RegExp(`^conformance: ${gpuCases.length} GPU cases executed on .*\\(dawn-opengles, workgroup 128,`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
