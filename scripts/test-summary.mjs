#!/usr/bin/env node
// Sum the vitest JSON reports every package wrote during `pnpm test` into one closing line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const file = join(root, 'packages', name, '.vitest-results.json');
  if (!existsSync(file)) {
    missing.push(name);
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  if (r.numTotalTests === 0) missing.push(`${name} (no tests)`);
}
if (missing.length > 0) console.log(`packages without test results: ${missing.join(', ')}`);
console.log(`judgekit: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || missing.length > 0 ? 1 : 0);
