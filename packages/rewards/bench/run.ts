/**
 * Benchmark of @judgekit/rewards: JudgeLRM rewards per second in-process and through the reward
 * server (batch 256, concurrent clients), beside a Python re-statement of the upstream reward
 * (bench/judgelrm_reward_peer.py, with its per-sample printing) timed on the same completions in the
 * same run. Also checks that both give the same rewards.
 */
import { request, Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { printTable, runPythonPeer, timeIt } from '../../../scripts/bench-kit.ts';
import { createJudgeLrmReward, createRewardServer, scoreBatch, silentLogger } from '../src/index.ts';
import type { RewardSample } from '../src/index.ts';

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

// Through the server: CLIENTS concurrent keep-alive clients, each posting batches of 256.
const server = await createRewardServer({
  reward,
  logger: silentLogger,
  maxResponseLength: MAX_RESPONSE_LENGTH,
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
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
const post = () =>
  new Promise<number[]>((resolve, reject) => {
    const req = request(
      new URL('/get_reward', server.url),
      {
        method: 'POST',
        agent,
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
  });
const served = await post(); // warm-up and agreement check
let requests = 0;
const t0 = performance.now();
const deadline = t0 + 3000;
await Promise.all(
  Array.from({ length: CLIENTS }, async () => {
    while (performance.now() < deadline) {
      await post();
      requests++;
    }
  }),
);
const serverSeconds = (performance.now() - t0) / 1000;
agent.destroy();
await server.close();

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
  `@judgekit/rewards: JudgeLRM reward, batch ${BATCH} (${process.version}, ${CLIENTS} concurrent HTTP clients)`,
  [
    {
      work: 'JudgeLRM reward, in-process scoreBatch',
      ours: BATCH / inProc.secondsPerCall,
      peer: peer?.rewards_per_s,
      unit: 'rewards/s',
      peerName,
    },
    {
      work: `JudgeLRM reward, HTTP server (${CLIENTS} clients)`,
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
