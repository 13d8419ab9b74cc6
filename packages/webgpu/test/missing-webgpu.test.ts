/**
 * Without the optional peer dependency `webgpu`, `auto` runs on the CPU and says why, and
 * `webgpu` throws a NotSupportedError whose message says what to install. The package is made
 * unresolvable in a child process by a loader hook (test/fixtures/block-webgpu.mjs).
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

it('a missing "webgpu" package gives the CPU with a reason (auto) or an install hint (webgpu)', () => {
  const out = execFileSync(
    process.execPath,
    [
      '--conditions=@judgekit/source',
      '--import',
      'tsx',
      '--import',
      join(here, 'fixtures', 'block-webgpu.mjs'),
      join(here, 'fixtures', 'missing-webgpu.ts'),
    ],
    { cwd: join(here, '..'), encoding: 'utf8', timeout: 60_000 },
  );
  const r = JSON.parse(out.trim().split('\n').pop() as string);
  expect(r.auto).toBe('cpu');
  expect(r.message).toMatch(
    /^judgekit\/webgpu: cpu backend \(float64 reference\); WebGPU unavailable: package "webgpu" not loadable/,
  );
  expect(r.error).toMatchObject({ name: 'WebGpuUnavailableError', code: 'not_supported' });
  expect(r.error.message).toContain('npm install webgpu');
});
