/**
 * One client process of `server-bench.ts`: posts the same OpenRLHF batch over one keep-alive
 * connection, one request after another (as a trainer's reward call does), for `seconds` after the
 * parent writes `go` on stdin. Prints `ready` once warmed up, then one JSON line:
 * `{requests, seconds, rewards}` (`rewards` of the first answer, for the agreement check).
 *
 * Usage: server-bench-client.ts <url> <body.json> <seconds>
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

const [url, bodyFile, secondsArg] = process.argv.slice(2);
const body = readFileSync(bodyFile!);
const seconds = Number(secondsArg);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const target = new URL('/get_reward', url);

const post = () =>
  new Promise<Buffer>((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(Buffer.concat(chunks))
            : reject(new Error(`HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString()}`)),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const first = JSON.parse((await post()).toString('utf8')) as { rewards: number[] };
for (let i = 0; i < 3; i++) await post();
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
let requests = 0;
const t0 = performance.now();
const deadline = t0 + seconds * 1000;
while (performance.now() < deadline) {
  await post();
  requests++;
}
const elapsed = (performance.now() - t0) / 1000;
agent.destroy();
process.stdout.write(`${JSON.stringify({ requests, seconds: elapsed, rewards: first.rewards })}\n`);
process.exit(0);
