import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // the WebGPU types (GPUDevice, …) come from @webgpu/types; consumers' tsc needs the reference
  dts: { compilerOptions: { customConditions: [] }, banner: '/// <reference types="@webgpu/types" />' },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
