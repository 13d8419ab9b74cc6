#!/usr/bin/env node
/**
 * Check every fenced code block of docs/ (the generated docs/api aside), so the docs cannot drift
 * from the code:
 *
 * - ```ts / ```js blocks are type-checked (strict, against the built packages) and, when the info
 *   string says `run` (```ts run), executed from the repository root; a non-zero exit fails.
 * - ```bash / ```sh blocks are syntax-checked (`bash -n`) and, with `run`, executed from the
 *   repository root with the workspace's `judgekit` and `judgekit-reward-server` bins on PATH.
 * - ```python is compiled, ```json parsed, ```yaml parsed (python3 with PyYAML).
 * - ```text / ```console are program output, not code, and are not checked.
 * Any other language is an error, so no block escapes the check.
 *
 * Usage: node scripts/check-docs.mjs [FILE.md...]   (after `pnpm build`)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// Inside examples/, so that `@judgekit/*` resolve to the workspace packages it depends on.
const work = join(root, 'examples', '.docs-check');
const bin = join(root, 'examples', 'node_modules', '.bin');

function markdownFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (relative(root, p) !== join('docs', 'api')) out.push(...markdownFiles(p));
    } else if (name.endsWith('.md')) out.push(p);
  }
  return out.sort();
}

/** Fenced blocks of a Markdown file: language, flags of the info string, code and line. */
function blocks(file) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const [lang = '', ...flags] = info.trim().split(/\s+/).filter(Boolean);
    const start = i + 1;
    const body = [];
    for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence); i++)
      body.push(lines[i].slice(indent.length));
    out.push({ file, line: start, lang: lang.toLowerCase(), flags, code: `${body.join('\n')}\n` });
  }
  return out;
}

const files =
  process.argv.length > 2 ? process.argv.slice(2).map((f) => resolve(f)) : markdownFiles(join(root, 'docs'));
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const failures = [];
const where = (b) => `${relative(root, b.file)}:${b.line}`;
const tsFiles = [];
const runs = [];
let checked = 0;

for (const file of files) {
  for (const [k, b] of blocks(file).entries()) {
    const stem = `${basename(file, '.md')}-${k}`;
    checked++;
    switch (b.lang) {
      case 'ts':
      case 'typescript':
      case 'js':
      case 'javascript': {
        const ext = b.lang.startsWith('t') ? 'mts' : 'mjs';
        const path = join(work, `${stem}.${ext}`);
        // Each block is its own module (`export {}`), so names do not clash between blocks.
        writeFileSync(path, `${b.code}\nexport {};\n`);
        tsFiles.push({ path, block: b });
        if (b.flags.includes('run')) runs.push({ kind: ext, path, block: b });
        break;
      }
      case 'bash':
      case 'sh':
      case 'shell': {
        const path = join(work, `${stem}.sh`);
        writeFileSync(path, `set -euo pipefail\n${b.code}`);
        const syntax = spawnSync('bash', ['-n', path], { encoding: 'utf8' });
        if (syntax.status !== 0) failures.push(`${where(b)}: bash syntax: ${syntax.stderr.trim()}`);
        else if (b.flags.includes('run')) runs.push({ kind: 'sh', path, block: b });
        break;
      }
      case 'python':
      case 'py': {
        const path = join(work, `${stem}.py`);
        writeFileSync(path, b.code);
        const r = spawnSync('python3', ['-m', 'py_compile', path], { encoding: 'utf8' });
        if (r.status !== 0) failures.push(`${where(b)}: python: ${r.stderr.trim()}`);
        break;
      }
      case 'json':
        try {
          JSON.parse(b.code);
        } catch (e) {
          failures.push(`${where(b)}: JSON: ${e.message}`);
        }
        break;
      case 'yaml':
      case 'yml': {
        const r = spawnSync('python3', ['-c', 'import sys, yaml; yaml.safe_load(sys.stdin)'], {
          input: b.code,
          encoding: 'utf8',
        });
        if (r.status !== 0) failures.push(`${where(b)}: YAML: ${r.stderr.trim().split('\n').at(-1)}`);
        break;
      }
      case 'text':
      case 'console':
        checked--;
        break;
      default:
        failures.push(
          `${where(b)}: a \`\`\`${b.lang || '(no language)'} block; use ts, js, bash, python, json, yaml, or text for output`,
        );
    }
  }
}

if (tsFiles.length > 0) {
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        allowJs: true,
        checkJs: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'ES2022',
        lib: ['ES2023', 'DOM'],
        types: ['node'],
        typeRoots: [join(root, 'node_modules', '@types')],
        // The docs' code is what is checked here; the packages' own declarations are checked by
        // the consumer test.
        skipLibCheck: true,
      },
      files: tsFiles.map((f) => basename(f.path)),
    }),
  );
  writeFileSync(join(work, 'package.json'), '{ "type": "module", "private": true }\n');
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', work],
    {
      encoding: 'utf8',
    },
  );
  if (tsc.status !== 0) {
    for (const line of tsc.stdout.trim().split('\n')) {
      const m = /^([^()]+)\((\d+),(\d+)\): (.*)$/.exec(line);
      const f = m && tsFiles.find((t) => basename(t.path) === basename(m[1]));
      failures.push(f ? `${where(f.block)} (+${Number(m[2]) - 1} lines): ${m[4]}` : `type check: ${line}`);
    }
  }
}

const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' };
for (const r of runs) {
  const cmd =
    r.kind === 'mts'
      ? [process.execPath, ['--import', 'tsx', r.path]]
      : r.kind === 'mjs'
        ? [process.execPath, [r.path]]
        : ['bash', [r.path]];
  const res = spawnSync(cmd[0], cmd[1], { cwd: root, env, encoding: 'utf8', timeout: 120_000 });
  if (res.status !== 0)
    failures.push(
      `${where(r.block)}: running the block exited ${res.status ?? res.signal}:\n${(res.stderr || res.stdout).trim().split('\n').slice(-8).join('\n')}`,
    );
}

if (failures.length > 0) {
  console.error(`check-docs: ${failures.length} problem(s):\n${failures.join('\n')}`);
  process.exit(1);
}
console.log(
  `check-docs: ${checked} code blocks in ${files.length} files: ${tsFiles.length} type-checked, ${runs.length} run, the rest syntax-checked`,
);
rmSync(work, { recursive: true, force: true });
