/**
 * Pipeline overhead of `evaluateJudgeOnDataset`: 2000 judgments against an instant loopback
 * chat-completions server (separate process) at concurrency 16, beside the raw HTTP round-trips of
 * the same requests through the same client. Overhead per judgment = what the pipeline adds beyond
 * the round-trip (render, parse, record, batched append, progress), as wall time and as CPU time of
 * this process. Goal: < 0.2 ms per judgment.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PairwiseSample } from '@judgekit/core';
import { createOpenAICompatibleModel } from '@judgekit/models';
import { getTemplate, render } from '@judgekit/prompts';
import { evaluateJudgeOnDataset } from '../src/index.ts';

const N = 2000;
const CONCURRENCY = 16;
const serverFile = fileURLToPath(new URL('../../models/bench/server.mjs', import.meta.url));
const child = spawn(process.execPath, [serverFile], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve) => {
  child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
});

const samples: PairwiseSample[] = Array.from({ length: N }, (_, i) => ({
  id: `s${i}`,
  question: `Question ${i}: why is the sky blue?`,
  answer1: `${'Rayleigh scattering of sunlight. '.repeat(20)}${i}`,
  answer2: `${'Because of the ocean. '.repeat(15)}${i}`,
  label: i % 2 ? 'answer1' : 'answer2',
}));
const template = getTemplate('pandalm/pair');
const makeModel = () =>
  createOpenAICompatibleModel({
    baseURL: `http://127.0.0.1:${port}/v1`,
    model: 'judge',
    concurrency: CONCURRENCY,
  });

/** Raw: the same requests through the same client, nothing else. */
async function raw(): Promise<{ wallMs: number; cpuMs: number; meanRoundTripMs: number }> {
  const model = makeModel();
  const prompts = samples.map((s) => render(template, s).messages);
  let next = 0;
  let latency = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const messages = prompts[next++]!;
        const t = performance.now();
        await model.generate({ messages, temperature: 0 });
        latency += performance.now() - t;
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (c.user + c.system) / 1000, meanRoundTripMs: latency / N };
}

async function pipeline(): Promise<{ wallMs: number; cpuMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'jk-bench-'));
  try {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await evaluateJudgeOnDataset({
      samples,
      template,
      model: makeModel(),
      outFile: join(dir, 'results.jsonl'),
      concurrency: CONCURRENCY,
      bootstrap: false,
      onProgress: () => {},
    });
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(cpu0);
    if (r.counts.judged !== N) throw new Error(`judged ${r.counts.judged} of ${N}`);
    return { wallMs, cpuMs: (c.user + c.system) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  await raw(); // warm-up (JIT, keep-alive sockets)
  await pipeline();
  // Alternate the two, three times each, and keep each one's fastest run (least disturbed).
  const as: Awaited<ReturnType<typeof raw>>[] = [];
  const bs: Awaited<ReturnType<typeof pipeline>>[] = [];
  for (let k = 0; k < 3; k++) {
    as.push(await raw());
    bs.push(await pipeline());
  }
  const a = as.reduce((x, y) => (y.wallMs < x.wallMs ? y : x));
  const b = bs.reduce((x, y) => (y.wallMs < x.wallMs ? y : x));
  const f = (x: number) => x.toFixed(3);
  console.log(`evaluateJudgeOnDataset overhead, ${N} judgments, concurrency ${CONCURRENCY}, loopback server`);
  console.log(`| work | wall ms / judgment | CPU ms / judgment |`);
  console.log(`| --- | --- | --- |`);
  console.log(
    `| raw HTTP round-trips (mean latency ${f(a.meanRoundTripMs)} ms) | ${f(a.wallMs / N)} | ${f(a.cpuMs / N)} |`,
  );
  console.log(`| pipeline (render, call, parse, record, append) | ${f(b.wallMs / N)} | ${f(b.cpuMs / N)} |`);
  console.log(
    `| overhead beyond the round-trip | ${f((b.wallMs - a.wallMs) / N)} | ${f((b.cpuMs - a.cpuMs) / N)} |`,
  );
  console.log('goal: overhead < 0.2 ms per judgment (measure on an idle machine)');
} finally {
  child.kill();
}
