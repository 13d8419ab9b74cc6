#!/usr/bin/env node
// The conformance suite in headless Chromium's navigator.gpu (SwiftShader, Chromium's CPU
// Vulkan): bundles test/browser/conformance-page.ts for the browser with esbuild (platform
// browser; a Node built-in imported at module level fails the run), serves it from a local
// HTTP server on 127.0.0.1, starts Chromium headless on it and waits for the page to POST its
// reports. Prints how many GPU cases ran; exits non-zero when a case fails, when WebGPU is not
// available (unless JUDGEKIT_REQUIRE_GPU is not 1, then exit 0 with a note), or on timeout.
//
// Chromium flags that work (Debian chromium 156, no GPU, no display); the minimum is
// --headless=new --no-sandbox --enable-unsafe-webgpu (SwiftShader is then chosen by itself):
//   --headless=new --no-sandbox --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader
//   --enable-features=Vulkan --disable-vulkan-surface --disable-gpu-sandbox
//   plus quiet-run flags (--disable-background-networking --no-first-run --no-default-browser-check
//   --disable-extensions --disable-sync --disable-component-update --mute-audio ...).
// Env: CHROMIUM (binary, default `chromium`), JUDGEKIT_BROWSER_TIMEOUT_S (default 240).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..', '..');
const require = createRequire(join(pkg, 'package.json'));
const requireGpu = process.env.JUDGEKIT_REQUIRE_GPU === '1';
const chromium = process.env.CHROMIUM ?? 'chromium';
const timeoutS = Number(process.env.JUDGEKIT_BROWSER_TIMEOUT_S ?? 240);

export const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-features=Vulkan',
  '--disable-vulkan-surface',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--metrics-recording-only',
  '--mute-audio',
  '--no-default-browser-check',
  '--no-first-run',
];

function esbuild() {
  // esbuild comes with tsup (a root devDependency)
  const tsup = dirname(require.resolve('tsup/package.json'));
  return createRequire(join(tsup, 'package.json'))('esbuild');
}

async function bundle() {
  const r = await esbuild().build({
    entryPoints: [join(here, 'conformance-page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['@judgekit/source'],
    // Node built-ins may only be imported lazily (inside a function, e.g. a file writer): they
    // stay external and must not appear as static imports of the bundle
    external: ['node:*'],
    write: false,
    logLevel: 'silent',
  });
  const text = r.outputFiles[0].text;
  const staticNode = text.match(/^import[^;]*from\s*["']node:[^"']+["']/m);
  if (staticNode !== null)
    throw new Error(`the browser bundle imports a Node built-in at load: ${staticNode[0]}`);
  return text;
}

function fail(msg, code = 1) {
  console.error(`browser conformance: ${msg}`);
  process.exit(code);
}

const js = await bundle().catch((e) => fail(`bundle for the browser failed: ${e.message}`));
let resolveResult;
const resultP = new Promise((r) => {
  resolveResult = r;
});
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/result') {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      res.end('ok');
      resolveResult(JSON.parse(body));
    });
    return;
  }
  if (req.url === '/bundle.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(js);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(
    '<!doctype html><meta charset="utf-8"><title>judgekit webgpu conformance</title><script type="module" src="/bundle.js"></script>',
  );
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;
const profile = mkdtempSync(join(tmpdir(), 'judgekit-chromium-'));
// Chromium brings its own SwiftShader Vulkan ICD: a Vulkan ICD override meant for Dawn in Node
// (e.g. VK_DRIVER_FILES=/nonexistent.json to test OpenGL ES) would hide it
const { VK_DRIVER_FILES: _a, VK_ICD_FILENAMES: _b, ...chromiumEnv } = process.env;
const child = spawn(chromium, [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, url], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: chromiumEnv,
});
let stderr = '';
child.stderr.on('data', (c) => {
  stderr = (stderr + c).slice(-4000);
});
const exited = new Promise((r) => child.on('exit', (code) => r({ exited: code })));
child.on('error', (e) => resolveResult({ fatal: `cannot start ${chromium}: ${e.message}` }));
const timer = new Promise((r) =>
  setTimeout(() => r({ fatal: `timed out after ${timeoutS} s` }), timeoutS * 1000),
);
const result = await Promise.race([
  resultP,
  exited.then((e) => ({ fatal: `chromium exited (${e.exited}) before reporting` })),
  timer,
]);
child.kill('SIGTERM');
server.close();
setTimeout(() => rmSync(profile, { recursive: true, force: true }), 500).unref();
if (result.fatal !== undefined) fail(`${result.fatal}\n${stderr}`);
console.log(`browser: ${result.userAgent}`);
let failures = 0;
for (const r of result.reports) {
  console.log(
    `browser conformance on ${r.backend}${r.adapter ? ` ("${r.adapter}")` : ''}: ${r.passed}/${r.total} passed`,
  );
  for (const f of r.failures) console.log(`  FAIL ${f.case}: ${f.message}`);
  failures += r.failures.length;
}
const gpu = result.reports.find((r) => r.backend === 'webgpu');
if (gpu === undefined) {
  const msg = `no WebGPU in the browser: ${result.gpuError}`;
  if (requireGpu) fail(msg);
  console.log(`browser conformance: 0 GPU cases executed (${msg})`);
} else {
  console.log(
    `browser conformance: ${gpu.passed} GPU cases executed on navigator.gpu "${gpu.adapter}" (workgroup ${result.workgroupSize}, features: ${result.adapter.features.join(' ') || 'none'})`,
  );
}
process.exit(failures > 0 ? 1 : 0);
