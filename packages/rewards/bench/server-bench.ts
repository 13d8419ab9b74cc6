/**
 * Benchmark of the reward server as a trainer meets it: the server in its own process(es)
 * (`judgekit-reward-server --workers N`, N = the available cores unless `BENCH_WORKERS` says
 * otherwise), 8 client processes each posting OpenRLHF batches of 256 over a keep-alive connection,
 * against the Python re-statement of upstream's `compute_score` (bench/judgelrm_reward_peer.py)
 * scoring the same 256 completions in-process, with its per-sample printing as upstream runs it
 * (and without). Rounds alternate server / Python (≥ 5, `BENCH_ROUNDS`), each side in fresh
 * processes; the median and range of each figure are printed with the worker count and the load
 * average, and the rewards are checked equal across the server, in-process judgekit and Python.
 *
 * Environment: BENCH_ROUNDS (5), BENCH_SECONDS per phase (3), BENCH_WORKERS (cores), BENCH_CLIENTS (8).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPythonPeer } from '../../../scripts/bench-kit.ts';
import { createJudgeLrmReward, scoreBatch } from '../src/index.ts';
import { makeBenchSamples, openRlhfBody } from './bench-samples.ts';

const BATCH = 256;
const intEnv = (name: string, fallback: number, min: number) => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, got ${v}`);
  return n;
};
const ROUNDS = intEnv('BENCH_ROUNDS', 5, 1);
const SECONDS = intEnv('BENCH_SECONDS', 3, 1);
const WORKERS = intEnv('BENCH_WORKERS', availableParallelism(), 1);
const CLIENTS = intEnv('BENCH_CLIENTS', 8, 1);

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const tsNode = [process.execPath, '--conditions=@judgekit/source', '--import', 'tsx'] as const;

const { samples, peerSamples } = makeBenchSamples(BATCH);
const ours = scoreBatch(createJudgeLrmReward(), samples).totals;
const dir = mkdtempSync(join(tmpdir(), 'jk-reward-bench-'));
const bodyFile = join(dir, 'body.json');
writeFileSync(bodyFile, openRlhfBody(samples));
const load0 = loadavg()[0]!;

/** Lines a child writes on stdout, as a queue to await. */
function lines(child: ChildProcess) {
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i !== -1; i = buf.indexOf('\n')) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(line);
      else queue.push(line);
    }
  });
  return () =>
    new Promise<string>((resolve, reject) => {
      const q = queue.shift();
      if (q !== undefined) return resolve(q);
      waiters.push(resolve);
      child.once('exit', (code) => reject(new Error(`process exited (${code}) before writing a line`)));
    });
}

// The server: its own processes for the whole run (a trainer's server stays up).
const server = spawn(
  tsNode[0],
  [
    ...tsNode.slice(1),
    here('../src/reward-server-cli.ts'),
    '--port',
    '0',
    '--workers',
    String(WORKERS),
    '--max-response-length',
    '2048',
    '--quiet',
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await lines(server)();

let mismatches = 0;
const check = (name: string, rewards: readonly number[] | undefined) => {
  if (rewards === undefined) return;
  for (let i = 0; i < BATCH; i++)
    if (rewards[i] !== ours[i]) {
      mismatches++;
      if (mismatches <= 3) console.error(`mismatch (${name}) at ${i}: ${rewards[i]} vs ${ours[i]}`);
    }
};

async function serverRound(): Promise<number> {
  const clients = Array.from({ length: CLIENTS }, () =>
    spawn(tsNode[0], [...tsNode.slice(1), here('./server-bench-client.ts'), url, bodyFile, String(SECONDS)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  const next = clients.map(lines);
  await Promise.all(next.map(async (n) => expectLine(await n(), 'ready')));
  for (const c of clients) c.stdin!.write('go\n');
  const results = await Promise.all(
    next.map(async (n) => JSON.parse(await n()) as { requests: number; seconds: number; rewards: number[] }),
  );
  for (const r of results) check('server', r.rewards);
  return results.reduce((sum, r) => sum + (r.requests * BATCH) / r.seconds, 0);
}

function expectLine(line: string, want: string) {
  if (line !== want) throw new Error(`client said ${JSON.stringify(line)}, expected ${want}`);
}

function peerRound() {
  const peer = runPythonPeer<{ rewards_per_s: number; rewards_per_s_noprint: number; rewards: number[] }>(
    here('./judgelrm_reward_peer.py'),
    [],
    JSON.stringify({ samples: peerSamples, min_seconds: SECONDS }),
  );
  check('python', peer?.rewards);
  return peer;
}

const serverFigures: number[] = [];
const peerFigures: number[] = [];
const peerQuietFigures: number[] = [];
const ratios: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which side goes first, so a drift in machine load does not favour one side.
  let s = 0;
  let p: ReturnType<typeof peerRound>;
  if (round % 2 === 0) {
    s = await serverRound();
    p = peerRound();
  } else {
    p = peerRound();
    s = await serverRound();
  }
  serverFigures.push(s);
  if (p) {
    peerFigures.push(p.rewards_per_s);
    peerQuietFigures.push(p.rewards_per_s_noprint);
    ratios.push(s / p.rewards_per_s);
  }
  console.log(
    `round ${round + 1}/${ROUNDS}: server ${s.toFixed(0)} rewards/s` +
      (p
        ? `, Python ${p.rewards_per_s.toFixed(0)} (prints) / ${p.rewards_per_s_noprint.toFixed(0)} (no print)`
        : ', Python n/a'),
  );
}
server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));

const summary = (xs: number[]) => {
  if (xs.length === 0) return 'n/a';
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const f = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(2));
  return `median ${f(median)}  range [${f(sorted[0]!)}, ${f(sorted[sorted.length - 1]!)}]`;
};
const load1 = loadavg()[0]!;
console.log(
  `\n@judgekit/rewards reward server: batch ${BATCH}, ${CLIENTS} client processes, ${WORKERS} server worker process(es) ` +
    `(${availableParallelism()} cores, ${process.version}), ${ROUNDS} alternating rounds of ${SECONDS} s`,
);
console.log(`  server (separate processes)        rewards/s  ${summary(serverFigures)}`);
console.log(`  Python compute_score, prints       rewards/s  ${summary(peerFigures)}`);
console.log(`  Python compute_score, no print     rewards/s  ${summary(peerQuietFigures)}`);
console.log(`  server / Python (prints), per round           ${summary(ratios)}`);
console.log(
  `  load average (1 min): ${load0.toFixed(2)} at start, ${load1.toFixed(2)} at end` +
    (Math.max(load0, load1) >= 2 ? ' — the machine is busy: these figures are not representative' : ''),
);
console.log(
  `agreement: ${mismatches === 0 ? 'all' : `${mismatches} MISMATCHES among`} rewards identical across the server, in-process judgekit${peerFigures.length ? ' and Python' : ''}`,
);
if (mismatches > 0) process.exitCode = 1;
