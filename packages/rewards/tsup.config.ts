import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/reward-server-cli.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
