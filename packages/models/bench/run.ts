/**
 * Client overhead of the OpenAI-compatible backend: chat-completions round-trips per second against a
 * local vLLM-shaped server (separate process) at a fixed concurrency, beside Python's stdlib
 * (http.client + threads) hitting the same server; and `cacheKey` throughput beside Python's
 * sha256 of `json.dumps(sort_keys=True)`. The server is trivial, so this measures the clients.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cacheKey, createOpenAICompatibleModel } from '../src/index.ts';
import { printTable, runPythonPeer, timeIt } from '../../../scripts/bench-kit.ts';

const N = 3000;
const CONCURRENCY = 16;
const WARMUP = 500;
const prompt = `[Question]\nWhy is the sky blue?\n\n[The Start of Assistant 1's Answer]\n${'Rayleigh scattering. '.repeat(40)}`;

const child = spawn(process.execPath, [fileURLToPath(new URL('./server.mjs', import.meta.url))], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve) => {
  child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
});

try {
  const model = createOpenAICompatibleModel({
    baseURL: `http://127.0.0.1:${port}/v1`,
    model: 'judge',
    concurrency: CONCURRENCY,
    defaults: { maxTokens: 64, temperature: 0 },
  });
  const run = (n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        model.generate({ messages: [{ role: 'user', content: `${i} ${prompt}` }] }),
      ),
    );
  // Both sides warm up with the same 500 requests (JIT / connection pool / thread start-up) before
  // the timed run; CPU time is this process's user + system time over the timed run.
  await run(WARMUP);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await run(N);
  const ours = N / ((performance.now() - t0) / 1000);
  const cpu = process.cpuUsage(cpu0);
  const oursCpuPerReq = (cpu.user + cpu.system) / 1e6 / N;

  const KEYS = 20_000;
  const tKey = timeIt(
    () => {
      for (let i = 0; i < KEYS; i++) {
        cacheKey('judge', {
          messages: [{ role: 'user', content: `${i} ${prompt}` }],
          maxTokens: 64,
          temperature: 0,
        });
      }
    },
    { minSeconds: 1, minReps: 3 },
  );

  const peer = runPythonPeer<{ requests_per_s: number; cpu_s_per_request: number; keys_per_s: number }>(
    fileURLToPath(new URL('./peer.py', import.meta.url)),
    [String(port), String(N), String(CONCURRENCY), String(WARMUP)],
  );
  console.log(
    `client CPU per request: judgekit ${(oursCpuPerReq * 1e6).toFixed(1)} µs` +
      (peer ? `, Python ${(peer.cpu_s_per_request * 1e6).toFixed(1)} µs` : ''),
  );
  printTable(
    `OpenAI-compatible client, ${N} requests at concurrency ${CONCURRENCY} to a local vLLM-shaped server`,
    [
      {
        work: 'chat.completions round-trips',
        ours,
        peer: peer?.requests_per_s,
        unit: 'req/s',
        peerName: 'Python http.client + threads',
      },
      {
        work: 'round-trips per client CPU-second',
        ours: 1 / oursCpuPerReq,
        peer: peer === undefined ? undefined : 1 / peer.cpu_s_per_request,
        unit: 'req/CPU-s',
        peerName: 'Python http.client + threads',
      },
      {
        work: 'cacheKey (sha256 of canonical JSON)',
        ours: KEYS / tKey.secondsPerCall,
        peer: peer?.keys_per_s,
        unit: 'keys/s',
        peerName: 'Python hashlib + json.dumps',
      },
    ],
  );
} finally {
  child.kill();
}
