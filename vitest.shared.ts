import { defineConfig } from 'vitest/config';

/**
 * Shared vitest configuration. Tests resolve sibling `@judgekit/*` packages to their TypeScript
 * sources through the `@judgekit/source` export condition, so `pnpm test` needs no build first.
 */
const conditions = ['@judgekit/source', 'module', 'node', 'import', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@judgekit/source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    benchmark: { include: ['bench/**/*.bench.ts'] },
    testTimeout: 30_000,
    pool: 'threads',
  },
});
