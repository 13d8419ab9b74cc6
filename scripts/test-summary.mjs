#!/usr/bin/env node
// Sum the vitest JSON reports every package wrote during `pnpm test` into one closing line, and
// fail on any skipped test that scripts/allowed-skips.json does not list with a reason (skips
// marked `outsideCiOnly` are not allowed when CI is set: CI installs what those tests need).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const inCi = Boolean(process.env.CI);
const allowedFile = join(root, 'scripts', 'allowed-skips.json');
const allowed = existsSync(allowedFile) ? JSON.parse(readFileSync(allowedFile, 'utf8')).allowed : [];
for (const [i, a] of allowed.entries()) {
  if (typeof a.package !== 'string' || typeof a.reason !== 'string' || a.reason.trim() === '') {
    console.log(`scripts/allowed-skips.json: entry ${i} needs a "package" and a non-empty "reason"`);
    process.exit(1);
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
const unexplained = [];
const explained = new Map();
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
  for (const suite of r.testResults ?? []) {
    const path = relative(join(root, 'packages', name), suite.name ?? '');
    for (const t of suite.assertionResults ?? []) {
      if (t.status !== 'skipped' && t.status !== 'pending' && t.status !== 'todo') continue;
      const fullName = t.fullName ?? t.title ?? '';
      const entry = allowed.find(
        (a) =>
          a.package === name &&
          (a.file === undefined || path.endsWith(a.file)) &&
          fullName.includes(a.test ?? '') &&
          !(inCi && a.outsideCiOnly),
      );
      const where = `${name}/${path}: ${fullName}`;
      if (entry === undefined) unexplained.push(where);
      else explained.set(entry.reason, (explained.get(entry.reason) ?? 0) + 1);
    }
  }
}
if (missing.length > 0) console.log(`packages without test results: ${missing.join(', ')}`);
for (const [reason, n] of explained) console.log(`allowed skip (${n}): ${reason}`);
if (unexplained.length > 0) {
  console.log(
    `${unexplained.length} skipped test(s) not allowed by scripts/allowed-skips.json${inCi ? ' under CI' : ''}:`,
  );
  for (const w of unexplained.slice(0, 30)) console.log(`  ${w}`);
}
console.log(`judgekit: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || missing.length > 0 || unexplained.length > 0 ? 1 : 0);
