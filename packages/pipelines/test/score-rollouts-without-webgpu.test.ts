/**
 * Without the optional `webgpu` package (Dawn), pipelines still loads and scores on the CPU:
 * `auto` falls back and records why, `cpu` works, `webgpu` is a typed NotSupportedError with the
 * install hint. The package is made unresolvable in a child process by a loader hook.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

it('without "webgpu": auto scores on the CPU and says why; webgpu is WebGpuUnavailableError', () => {
  const out = execFileSync(
    process.execPath,
    [
      '--conditions=@judgekit/source',
      '--import',
      'tsx',
      '--import',
      join(here, 'fixtures', 'block-webgpu.mjs'),
      join(here, 'fixtures', 'score-without-webgpu.ts'),
    ],
    { cwd: join(here, '..'), encoding: 'utf8', timeout: 120_000 },
  );
  const r = JSON.parse(out.trim().split('\n').pop() as string);
  expect(r.auto).toMatchObject({ requested: 'auto', chosen: 'cpu', adapter: null, precision: 'float64' });
  expect(r.auto.fallbackReason).toMatch(/package "webgpu" not loadable/);
  expect(Math.abs(r.autoLoss - r.plainLoss)).toBeLessThanOrEqual(1e-12 * Math.abs(r.plainLoss));
  expect(r.cpuLoss).toBe(r.autoLoss);
  expect(r.error).toMatchObject({ name: 'WebGpuUnavailableError', code: 'not_supported' });
  expect(r.error.message).toContain('npm install webgpu');
}, 120_000);
