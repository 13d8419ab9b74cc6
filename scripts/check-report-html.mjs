#!/usr/bin/env node
/**
 * Open HTML reports in headless Chromium and check that each renders: no console error or warning,
 * no uncaught exception, no request leaving the file (the report must be self-contained), the
 * expected sections present and laid out (non-zero size). Saves a full-page screenshot of the
 * first report (a CI artifact).
 *
 * Talks to Chromium over the DevTools protocol on a pipe (`--remote-debugging-pipe`), so it needs
 * no npm package: only a Chromium binary (Debian: `apt-get install chromium fonts-liberation`).
 *
 * Usage: node scripts/check-report-html.mjs [--screenshot FILE] [--chromium PATH] REPORT.html...
 * Exit code 0 when every report passes, 1 when one fails, 2 when Chromium is missing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    screenshot: { type: 'string', default: 'runs/report-screenshot.png' },
    chromium: { type: 'string' },
  },
});
if (positionals.length === 0) {
  console.error('usage: node scripts/check-report-html.mjs [--screenshot FILE] REPORT.html...');
  process.exit(2);
}
const candidates = [values.chromium, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
const binary = candidates.find((p) => p && existsSync(p));
if (!binary) {
  console.error(
    'check-report-html: no Chromium found (apt-get install -y --no-install-recommends chromium fonts-liberation, or --chromium PATH)',
  );
  process.exit(2);
}

/** A DevTools-protocol connection over Chromium's pipe (fd 3 in, fd 4 out, NUL-separated JSON). */
function connect(child) {
  const input = child.stdio[3];
  const output = child.stdio[4];
  let nextId = 1;
  const pending = new Map();
  const listeners = [];
  let buffer = '';
  output.setEncoding('utf8');
  output.on('data', (chunk) => {
    buffer += chunk;
    let end = buffer.indexOf('\0');
    while (end >= 0) {
      const msg = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (msg.id !== undefined && pending.has(msg.id)) {
        const { resolve: ok, reject, method } = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.error) reject(new Error(`${method}: ${msg.error.message}`));
        else ok(msg.result);
      } else if (msg.method) {
        for (const l of listeners) l(msg);
      }
      end = buffer.indexOf('\0');
    }
  });
  return {
    send(method, params = {}, sessionId) {
      const id = nextId++;
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
      return new Promise((ok, reject) => pending.set(id, { resolve: ok, reject, method }));
    },
    on(listener) {
      listeners.push(listener);
    },
  };
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]);
}

const EXPECTED_SECTIONS = ['headline', 'failures', 'config'];

async function checkReport(cdp, file, screenshot) {
  const url = pathToFileURL(resolve(file)).href;
  const problems = [];
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  const send = (method, params) => cdp.send(method, params, sessionId);
  let loaded;
  const load = new Promise((ok) => {
    loaded = ok;
  });
  cdp.on((msg) => {
    if (msg.sessionId !== sessionId) return;
    const p = msg.params;
    if (msg.method === 'Runtime.consoleAPICalled' && ['error', 'warning', 'assert'].includes(p.type))
      problems.push(`console.${p.type}: ${p.args.map((a) => a.value ?? a.description).join(' ')}`);
    else if (msg.method === 'Runtime.exceptionThrown')
      problems.push(`exception: ${p.exceptionDetails.exception?.description ?? p.exceptionDetails.text}`);
    else if (msg.method === 'Log.entryAdded' && ['error', 'warning'].includes(p.entry.level))
      problems.push(`${p.entry.source} ${p.entry.level}: ${p.entry.text}`);
    else if (
      msg.method === 'Network.requestWillBeSent' &&
      p.request.url !== url &&
      !p.request.url.startsWith('data:')
    )
      problems.push(`request leaving the report: ${p.request.url}`);
    else if (msg.method === 'Page.loadEventFired') loaded();
  });
  for (const domain of ['Runtime', 'Log', 'Network', 'Page']) await send(`${domain}.enable`);
  await send('Emulation.setDeviceMetricsOverride', {
    width: 1200,
    height: 900,
    deviceScaleFactor: 1,
    mobile: false,
  });
  await send('Page.navigate', { url });
  await withTimeout(load, 20000, `load ${file}`);
  const { result } = await send('Runtime.evaluate', {
    returnByValue: true,
    expression: `(() => ({
      sections: [...document.querySelectorAll('h2[id]')].map((h) => h.id),
      tables: document.querySelectorAll('table').length,
      svgs: [...document.querySelectorAll('svg')].map((s) => { const r = s.getBoundingClientRect(); return [r.width, r.height]; }),
      height: document.documentElement.scrollHeight,
      scripts: document.scripts.length,
    }))()`,
  });
  const page = result.value;
  for (const id of EXPECTED_SECTIONS)
    if (!page.sections.includes(id)) problems.push(`section #${id} missing`);
  if (page.tables === 0) problems.push('no table rendered');
  if (page.svgs.length === 0 || page.svgs.some(([w, h]) => !(w > 0 && h > 0)))
    problems.push(`an SVG chart has no size: ${JSON.stringify(page.svgs)}`);
  if (page.scripts > 0) problems.push(`${page.scripts} script elements (the report must have none)`);
  if (screenshot) {
    const height = Math.min(12000, Math.max(900, page.height));
    await send('Emulation.setDeviceMetricsOverride', {
      width: 1200,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    });
    const shot = await send('Page.captureScreenshot', { format: 'png' });
    mkdirSync(dirname(resolve(screenshot)), { recursive: true });
    writeFileSync(screenshot, Buffer.from(shot.data, 'base64'));
  }
  await cdp.send('Target.closeTarget', { targetId });
  return { problems, page };
}

const profile = mkdtempSync(join(tmpdir(), 'judgekit-chromium-'));
const child = spawn(
  binary,
  [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-extensions',
    '--disable-dev-shm-usage',
    '--no-first-run',
    '--no-default-browser-check',
    '--mute-audio',
    `--user-data-dir=${profile}`,
    '--remote-debugging-pipe',
    'about:blank',
  ],
  { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
);
let stderr = '';
child.stderr.on('data', (d) => {
  stderr += d;
});
const exited = new Promise((ok) => child.on('exit', ok));
let failed = 0;
try {
  const cdp = connect(child);
  const version = await withTimeout(cdp.send('Browser.getVersion'), 30000, 'Chromium start');
  console.log(`check-report-html: ${version.product}`);
  for (const [i, file] of positionals.entries()) {
    if (!existsSync(file)) {
      console.error(`FAIL ${file}: no such file`);
      failed++;
      continue;
    }
    const { problems, page } = await checkReport(cdp, file, i === 0 ? values.screenshot : undefined);
    if (problems.length > 0) {
      failed++;
      console.error(`FAIL ${file}:\n  ${problems.join('\n  ')}`);
    } else {
      console.log(
        `ok   ${file}: sections ${page.sections.join(', ')}; ${page.tables} tables, ${page.svgs.length} charts; no console errors, no requests${i === 0 ? `; screenshot ${values.screenshot}` : ''}`,
      );
    }
  }
  await cdp.send('Browser.close').catch(() => {});
} catch (error) {
  failed++;
  console.error(
    `check-report-html: ${error.message}${stderr ? `\nchromium stderr (tail):\n${stderr.slice(-2000)}` : ''}`,
  );
  child.kill();
} finally {
  await withTimeout(exited, 10000, 'Chromium exit').catch(() => child.kill('SIGKILL'));
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed > 0 ? 1 : 0);
