import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/pool-worker.ts'],
  // the worker entry finds itself next to index.js / index.cjs through import.meta.url (shimmed in CJS)
  shims: true,
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts', compilerOptions: { customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
