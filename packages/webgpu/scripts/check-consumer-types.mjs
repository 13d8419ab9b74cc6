#!/usr/bin/env node
// A strict TypeScript consumer of the built package: `tsc --noEmit` with `strict` and
// `skipLibCheck: false` over a file that imports @judgekit/webgpu and touches its WebGPU types
// (GPUDevice, GPUAdapter, …, which come from @webgpu/types through the d.ts reference).
// Runs for node16 ESM and CJS and for bundler resolution; exits non-zero on any error.
// The consumer's `lib` includes DOM: @webgpu/types is written against the DOM's event types.
// Needs `pnpm build` first (run by `check:package`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const consumer = `import {
  type Backend,
  getBackend,
  runOp,
  WebGpuBackend,
  WebGpuError,
  type WebGpuErrorKind,
} from '@judgekit/webgpu';

export async function main(): Promise<number> {
  const backend: Backend = await getBackend('auto');
  console.log(backend.selection.message);
  try {
    const r = await runOp('tokenLogProbsEntropy', { logits: new Float32Array(4), labels: [1, 0], rows: 2, vocab: 2 }, { backend });
    if (backend instanceof WebGpuBackend) {
      const device: GPUDevice = backend.device;
      const adapter: GPUAdapter = backend.adapter;
      console.log(device.limits.maxComputeInvocationsPerWorkgroup, adapter.features.size, backend.workgroupSize);
    }
    return r.logProbs.length;
  } catch (e) {
    if (WebGpuError.isInstance(e)) {
      const kind: WebGpuErrorKind = e.kind;
      console.error(kind);
    }
    throw e;
  } finally {
    backend.dispose();
  }
}
`;
const variants = [
  {
    name: 'node16 ESM',
    module: 'node16',
    moduleResolution: 'node16',
    lib: ['ES2022', 'DOM'],
    types: ['node'],
  },
  {
    name: 'node16 CJS',
    module: 'node16',
    moduleResolution: 'node16',
    lib: ['ES2022', 'DOM'],
    types: ['node'],
    cjs: true,
  },
  { name: 'bundler', module: 'ESNext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] },
];
const dir = mkdtempSync(join(tmpdir(), 'judgekit-webgpu-consumer-'));
let failed = 0;
try {
  mkdirSync(join(dir, 'node_modules', '@judgekit'), { recursive: true });
  symlinkSync(pkg, join(dir, 'node_modules', '@judgekit', 'webgpu'), 'dir');
  // @types/node for the node16 variant
  mkdirSync(join(dir, 'node_modules', '@types'));
  symlinkSync(
    dirname(require.resolve('@types/node/package.json')),
    join(dir, 'node_modules', '@types', 'node'),
    'dir',
  );
  writeFileSync(join(dir, 'consumer.ts'), consumer);
  for (const v of variants) {
    const type = v.cjs ? 'commonjs' : 'module';
    writeFileSync(join(dir, 'package.json'), `{ "name": "consumer", "private": true, "type": "${type}" }\n`);
    const tsconfig = {
      compilerOptions: {
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        target: 'ES2022',
        module: v.module,
        moduleResolution: v.moduleResolution,
        lib: v.lib,
        types: v.types,
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        preserveSymlinks: false,
      },
      files: ['consumer.ts'],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    try {
      execFileSync(process.execPath, [tsc, '-p', dir], { cwd: dir, stdio: 'pipe' });
      console.log(`consumer types (${v.name}, strict, skipLibCheck false): ok`);
    } catch (e) {
      failed++;
      console.error(`consumer types (${v.name}, strict, skipLibCheck false): FAILED\n${e.stdout}${e.stderr}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed > 0 ? 1 : 0);
