/**
 * The conformance suite in headless Chromium's navigator.gpu (test/browser/
 * run-browser-conformance.mjs: browser bundle, local server on 127.0.0.1, SwiftShader adapter).
 * Needs the `chromium` binary (scripts/install-system-deps.sh installs it). Without it the test
 * is skipped and says so, unless JUDGEKIT_REQUIRE_GPU=1 (and not JUDGEKIT_SKIP_BROWSER=1).
 */
import { execFile, execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const chromium = process.env.CHROMIUM ?? 'chromium';
let haveChromium = true;
try {
  execFileSync('sh', ['-c', `command -v "${chromium}"`], { stdio: 'ignore' });
} catch {
  haveChromium = false;
}
const required = process.env.JUDGEKIT_REQUIRE_GPU === '1' && process.env.JUDGEKIT_SKIP_BROWSER !== '1';

it('the conformance suite passes in headless Chromium (navigator.gpu)', async (ctx) => {
  if (!haveChromium && !required)
    ctx.skip(`no ${chromium} binary (scripts/install-system-deps.sh installs it)`);
  const { code, out } = await new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(here, 'browser', 'run-browser-conformance.mjs')],
      { timeout: 280_000, env: { ...process.env, JUDGEKIT_REQUIRE_GPU: required ? '1' : '0' } },
      (err, so, se) =>
        resolve({ code: err === null ? 0 : ((err as { code?: number }).code ?? 1), out: `${so}${se}` }),
    );
  });
  console.log(out.trim());
  expect(code, out).toBe(0);
  const gpu = out.match(/^browser conformance: (\d+) GPU cases executed on navigator\.gpu/m);
  if (gpu === null && !required) ctx.skip(`Chromium has no WebGPU here: ${out.trim().split('\n').pop()}`);
  const cpu = out.match(/^browser conformance on cpu: (\d+)\/(\d+) passed/m);
  expect(gpu?.[1]).toBe(cpu?.[2]);
}, 300_000);
