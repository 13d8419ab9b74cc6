/**
 * TRL's real GRPOTrainer (trl 1.13, CPU) trains a tiny Qwen2 built locally for 3 steps with rewards
 * from `createRewardServer` through python/judgekit_reward_client.py; every reward TRL received must
 * equal judgekit's in-process reward for the same prompt, completion, completion ids and label.
 * Needs python3 with torch and trl (`bash scripts/install-python-deps.sh`): skipped where they are
 * absent, required under CI (which runs that script).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TrlRewardInput, toTrlRewardFunction } from './adapters.js';
import { createJudgeLrmReward } from './reward-function.js';
import { createRewardServer, type RewardServer, silentLogger } from './reward-server.js';

const hasTrl = spawnSync('python3', ['-c', 'import trl, torch']).status === 0;
const required = process.env.CI === 'true' || process.env.CI === '1';
const script = fileURLToPath(new URL('../../../python/tests/trl_grpo_judgekit.py', import.meta.url));
const MAX_COMPLETION = 40; // the script's max_completion_length

interface Call extends TrlRewardInput {
  ground_truth: string[];
  rewards: number[];
}

const reward = createJudgeLrmReward();
let server: RewardServer;
beforeAll(async () => {
  server = await createRewardServer({ reward, logger: silentLogger, maxResponseLength: MAX_COMPLETION });
});
afterAll(() => server.close());

describe.skipIf(!hasTrl && !required)(
  `TRL GRPOTrainer with judgekit rewards${hasTrl ? '' : ' (skipped: python3 with trl and torch not found)'}`,
  () => {
    it('trains 3 steps; every reward equals the in-process judgekit reward', {
      timeout: 900_000,
    }, async () => {
      const work = mkdtempSync(join(tmpdir(), 'judgekit-trl-'));
      const run = await new Promise<{ code: number | null; err: string }>((resolve, reject) => {
        const child = spawn('python3', [script, server.url, work, '3'], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, err }));
      });
      expect(run.code, run.err.slice(-3000)).toBe(0);
      const result = JSON.parse(readFileSync(join(work, 'result.json'), 'utf8')) as {
        calls: Call[];
        log_history: Record<string, number>[];
        global_step: number;
      };
      expect(result.global_step).toBe(3);
      expect(result.calls).toHaveLength(3);
      const inProcess = toTrlRewardFunction(reward, { maxResponseLength: MAX_COMPLETION });
      const all: number[] = [];
      for (const call of result.calls) {
        expect(call.rewards).toHaveLength(4);
        expect(call.rewards).toEqual(inProcess(call));
        all.push(...call.rewards);
      }
      // the warm-started model samples right and wrong verdicts: the comparison covers several values
      expect(new Set(all).size).toBeGreaterThan(1);
      // what TRL logged is what the server gave (float32 mean per step), and components reached log_metric
      result.log_history.forEach((h, i) => {
        const r = result.calls[i]!.rewards;
        expect(h.reward).toBeCloseTo(r.reduce((a, b) => a + b, 0) / r.length, 5);
        expect(h['judgekit/format']).toBeTypeOf('number');
      });
      // no batch arrived without the assistant header
      const health = (await (await fetch(`${server.url}/health`)).json()) as Record<string, number>;
      expect(health.missing_response_header_batches).toBe(0);
    });
  },
);
