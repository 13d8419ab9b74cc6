/**
 * The single-file Python client (python/judgekit_reward_client.py) against a real server on
 * 127.0.0.1: TRL reward function (with log_metric), verl compute_score (one and batched), OpenRLHF,
 * a 4xx raised at once, and OpenRLHF-style retries on 503. Needs python3: skipped where it is
 * absent, required under CI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderChatMl } from './adapters.js';
import { createJudgeLrmReward } from './reward-function.js';
import { createRewardServer, type RewardServer, silentLogger } from './reward-server.js';

const hasPython = spawnSync('python3', ['--version']).status === 0;
const required = process.env.CI === 'true' || process.env.CI === '1';
const script = (name: string) => fileURLToPath(new URL(`../../../python/tests/${name}`, import.meta.url));

function python(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const reward = createJudgeLrmReward();
let server: RewardServer;
beforeAll(async () => {
  server = await createRewardServer({ reward, logger: silentLogger, maxResponseLength: 64 });
});
afterAll(() => server.close());

describe.skipIf(!hasPython && !required)(
  `python reward client${hasPython ? '' : ' (skipped: python3 not found)'}`,
  () => {
    it('gives the in-process rewards through the TRL, verl and OpenRLHF doors', async () => {
      const r = await python([script('client_roundtrip.py'), server.url]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const o = JSON.parse(r.out);
      const msgs = [{ role: 'user', content: 'Score the two answers.' }];
      const head = renderChatMl(msgs, '<think>');
      const want = [
        reward.score({
          sequence: `${head}ok</think><answer>8</answer><answer>6</answer>`,
          groundTruth: '8 6',
          responseLength: 3,
          maxResponseLength: 64,
        }).total,
        reward.score({
          sequence: `${head}no tags`,
          groundTruth: '8 6',
          responseLength: 1,
          maxResponseLength: 64,
        }).total,
      ];
      expect(o.trl).toEqual(want);
      expect(o.trl[0]).toBeGreaterThan(o.trl[1]);
      expect(o.metrics['judgekit/format']).toBeTypeOf('number');
      const prefix = '<|im_start|>assistant\n<think>';
      const one = reward.score({
        sequence: `${prefix}ok</think><answer>8</answer><answer>6</answer>`,
        groundTruth: '8 6',
      });
      expect(o.verl_one.score).toBe(one.total);
      expect(o.verl_one.format).toBe(one.components.format);
      expect(o.verl_batch.map((x: { score: number }) => x.score)).toEqual([
        reward.score({
          sequence: `${prefix}x</think><answer>8</answer><answer>6</answer>`,
          groundTruth: '8 6',
        }).total,
        reward.score({ sequence: `${prefix}bad`, groundTruth: '8 6' }).total,
      ]);
      expect(o.openrlhf.rewards).toEqual([
        reward.score({
          sequence: `${prefix}a</think><answer>8</answer><answer>6</answer>`,
          groundTruth: '8 6',
        }).total,
      ]);
      expect(o.openrlhf_url).toBe(`${server.url}/get_reward`);
      // a 422 is raised at once, not retried, with the server's message
      expect(o.error.status).toBe(422);
      expect(o.error.message).toMatch(/missing column `ground_truth`/);
      expect(o.tries).toBe(3); // trl, openrlhf, the 422: one try each, nothing retried
    });

    it('retries 503 like OpenRLHF and gives up after max_tries', async () => {
      let calls = 0;
      const flaky = createServer((req, res) => {
        req.resume();
        req.on('end', () => {
          calls++;
          if (calls <= 2) {
            res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"busy"}');
            return;
          }
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end('{"rewards":[0.5],"scores":[0.5],"extra_logs":{}}');
        });
      });
      await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
      try {
        const ok = JSON.parse((await python([script('retry_probe.py'), url, '5'])).out);
        expect(ok).toEqual({ rewards: [0.5], tries: 3 });
        calls = 0;
        const gaveUp = JSON.parse((await python([script('retry_probe.py'), url, '2'])).out);
        expect(gaveUp.tries).toBe(2);
        expect(gaveUp.error).toMatch(/failed after 2 tries: HTTP 503: busy/);
      } finally {
        await new Promise((r) => flaky.close(r));
      }
    });
  },
);
