/**
 * Benchmark of @judgekit/rewards: JudgeLRM rewards per second in-process and through the reward
 * server (batch 256, concurrent clients), beside a Python re-statement of the upstream reward
 * (bench/judgelrm_reward_peer.py, with its per-sample printing) timed on the same completions in the
 * same run. Also checks that both give the same rewards. The server runs in its own process and the
 * load comes from separate client processes (bench/server-child.ts, bench/client-child.mjs).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { printTable, runPythonPeer, timeIt } from '../../../scripts/bench-kit.ts';
import { createJudgeLrmReward, scoreBatch } from '../src/index.ts';
import type { RewardSample } from '../src/index.ts';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const BATCH = 256;
const CLIENTS = 8;
const MAX_RESPONSE_LENGTH = 2048;

// Deterministic completions: mostly well-formed, some malformed, realistic reasoning lengths.
let seed = 12345;
const rand = () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 2 ** 32;
};
const PROMPT =
  '<|im_start|>system\nYou are a helpful assistant. The assistant first performs a detailed, step-by-step reasoning process in its mind and then provides the user with the answer.<|im_end|>\n' +
  '<|im_start|>user\n[Question]\nExplain photosynthesis briefly.\n\n[Assistant 1’s Answer]\nPlants turn light into chemical energy.\n\n[Assistant 2’s Answer]\nIt is a process.\n<|im_end|>\n<|im_start|>assistant\n<think>';
const reasoning = 'Assistant 1 is more precise and mentions light energy, while Assistant 2 is vague. ';
const samples: RewardSample[] = [];
const peerSamples: object[] = [];
for (let i = 0; i < BATCH; i++) {
  const s1 = Math.floor(rand() * 11);
  const s2 = Math.floor(rand() * 11);
  const g = [Math.floor(rand() * 11), Math.floor(rand() * 11)];
  const kind = rand();
  const think = reasoning.repeat(2 + Math.floor(rand() * 10));
  let completion = `${think}</think><answer>${s1}</answer><answer>${s2}</answer><|im_end|>`;
  if (kind < 0.08) completion = `<think>${completion}`;
  else if (kind < 0.14)
    completion = `${think}</think><answer>${s1}.5</answer><answer>${s2}</answer><|im_end|>`;
  else if (kind < 0.18) completion = `${think}</think><answer>${s1} ${s2}</answer><|im_end|>`;
  const label = i % 2 === 0 ? `${g[0]} ${g[1]}\nGPT-4 explanation` : g;
  const responseLength = 60 + Math.floor(rand() * 2100);
  samples.push({
    sequence: PROMPT + completion,
    groundTruth: label,
    responseLength,
    maxResponseLength: MAX_RESPONSE_LENGTH,
  });
  peerSamples.push({
    solution_str: PROMPT + completion,
    ground_truth: label,
    reward_ablation: 'base_reward',
    response_length: responseLength,
    max_response_length: MAX_RESPONSE_LENGTH,
  });
}

const reward = createJudgeLrmReward();

// In-process.
const inProc = timeIt(() => scoreBatch(reward, samples), { minSeconds: 2 });
const ours = scoreBatch(reward, samples).totals;

// Through the server: the server in its own process, CLIENTS client processes (keep-alive), each
// posting batches of 256 for 3 s, so neither shares an event loop with the other.
const server = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    '--conditions=@judgekit/source',
    here('./server-child.ts'),
    String(MAX_RESPONSE_LENGTH),
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const serverUrl = await new Promise<string>((resolve, reject) => {
  server.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
  server.once('exit', (code) => reject(new Error(`reward server exited with ${code}`)));
});
const body = JSON.stringify({
  query: samples.map((s) => s.sequence),
  prompts: samples.map(() => PROMPT),
  labels: samples.map((s) =>
    typeof s.groundTruth === 'string'
      ? s.groundTruth
      : `${(s.groundTruth as number[])[0]} ${(s.groundTruth as number[])[1]}`,
  ),
  response_lengths: samples.map((s) => s.responseLength),
});
const dir = mkdtempSync(`${tmpdir()}/jk-rewards-bench-`);
const bodyFile = `${dir}/body.json`;
writeFileSync(bodyFile, body);
let served: number[] = [];
let requests = 0;
let serverSeconds = 1;
try {
  served = await new Promise<number[]>((resolve, reject) => {
    const req = request(
      new URL('/get_reward', serverUrl),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve((JSON.parse(Buffer.concat(chunks).toString()) as { rewards: number[] }).rewards),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  }); // warm-up and agreement check
  const t0 = Date.now() + 1500; // let the client processes start
  const deadline = t0 + 3000;
  const counts = await Promise.all(
    Array.from(
      { length: CLIENTS },
      () =>
        new Promise<number>((resolve, reject) => {
          const c = spawn(
            process.execPath,
            [here('./client-child.mjs'), serverUrl, bodyFile, String(deadline)],
            {
              stdio: ['ignore', 'pipe', 'inherit'],
            },
          );
          let out = '';
          c.stdout.on('data', (d: Buffer) => {
            out += d.toString();
          });
          c.on('exit', (code) =>
            code === 0 ? resolve(Number(out.trim())) : reject(new Error(`client exited ${code}`)),
          );
        }),
    ),
  );
  requests = counts.reduce((a, b) => a + b, 0);
  serverSeconds = (Date.now() - t0) / 1000;
} finally {
  server.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}

// Python peer on the same completions.
const peer = runPythonPeer<{ rewards_per_s: number; rewards_per_s_noprint: number; rewards: number[] }>(
  fileURLToPath(new URL('./judgelrm_reward_peer.py', import.meta.url)),
  [],
  JSON.stringify({ samples: peerSamples, min_seconds: 2 }),
);

let mismatches = 0;
for (let i = 0; i < BATCH; i++) {
  if (served[i] !== ours[i]) mismatches++;
  if (peer && peer.rewards[i] !== ours[i]) mismatches++;
}

const peerName = 'Python re-statement (prints)';
printTable(
  `@judgekit/rewards: JudgeLRM reward, batch ${BATCH} (${process.version}, server and ${CLIENTS} client processes)`,
  [
    {
      work: 'JudgeLRM reward, in-process scoreBatch',
      ours: BATCH / inProc.secondsPerCall,
      peer: peer?.rewards_per_s,
      unit: 'rewards/s',
      peerName,
    },
    {
      work: `JudgeLRM reward, HTTP server (1 process, ${CLIENTS} client processes)`,
      ours: (requests * BATCH) / serverSeconds,
      peer: peer?.rewards_per_s,
      unit: 'rewards/s',
      peerName,
    },
    {
      work: 'JudgeLRM reward, in-process scoreBatch',
      ours: BATCH / inProc.secondsPerCall,
      peer: peer?.rewards_per_s_noprint,
      unit: 'rewards/s',
      peerName: 'Python re-statement (no print)',
    },
  ],
);
console.log(
  `\nagreement: ${mismatches === 0 ? 'all' : `${mismatches} MISMATCHES among`} ${BATCH} rewards identical across in-process, server${peer ? ' and Python' : ''}`,
);
if (mismatches > 0) process.exitCode = 1;
