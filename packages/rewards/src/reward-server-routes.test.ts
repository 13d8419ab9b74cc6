import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { renderChatMl } from './adapters.js';
import { createJudgeLrmReward } from './reward-function.js';
import { createRewardServer, type RewardServer, type RewardServerLogger } from './reward-server.js';

// biome-ignore lint/suspicious/noExplicitAny: test helper reads arbitrary JSON replies
function post(url: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, url),
      { method: path === '/health' ? 'GET' : 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
      },
    );
    req.on('error', reject);
    if (path !== '/health') req.write(JSON.stringify(body));
    req.end();
  });
}

const reward = createJudgeLrmReward();
const messages = [{ role: 'user', content: 'Score the two answers.' }];
const completions = [
  'ok</think><answer>8</answer><answer>6</answer>',
  'meh</think><answer>6</answer><answer>8</answer>',
  'no tags',
];
const truths = ['8 6', '8 6', '8 6'];

let servers: RewardServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function start(maxResponseLength?: number) {
  const warnings: string[] = [];
  const logger: RewardServerLogger = { info() {}, error() {}, warn: (m) => warnings.push(m) };
  const s = await createRewardServer({ reward, logger, ...(maxResponseLength ? { maxResponseLength } : {}) });
  servers.push(s);
  return { s, warnings };
}

describe('reward server TRL and verl routes', () => {
  it('TRL shape: chat-message prompts, completions, completion_ids and columns give the in-process rewards', async () => {
    const { s } = await start(64);
    const r = await post(s.url, '/trl', {
      prompts: [messages, messages, messages],
      completions: completions.map((c) => [{ role: 'assistant', content: c }]),
      completion_ids: [[1, 2, 3], [4, 5], [6]],
      ground_truth: truths,
      other_column: [1, 2, 3],
    });
    expect(r.status).toBe(200);
    const expected = completions.map(
      (c, i) =>
        reward.score({
          sequence: renderChatMl(messages, '<think>') + c,
          groundTruth: truths[i],
          responseLength: [3, 2, 1][i]!,
          maxResponseLength: 64,
        }).total,
    );
    expect(r.json.rewards).toEqual(expected);
    expect(r.json.rewards[0]).toBeGreaterThan(r.json.rewards[2]);
    expect(r.json.components.format).toHaveLength(3);
    expect(r.json.components.length_applied).toEqual([1, 1, 0]); // upstream applies length terms to well-formed answers only
    expect(r.json.notes).toEqual([]);
  });

  it('TRL shape: text prompts without the assistant header warn loudly and count in /health', async () => {
    const { s, warnings } = await start();
    const r = await post(s.url, '/trl', {
      prompts: ['Score these.', 'Score these.', 'x'],
      completions,
      ground_truth: truths,
    });
    expect(r.status).toBe(200);
    expect(r.json.notes[0]).toMatch(/^WARNING: 3 of 3 sequences have no/);
    expect(r.json.notes[1]).toMatch(/length terms skipped/);
    expect(warnings.some((w) => /WARNING/.test(w))).toBe(true);
    const h = await post(s.url, '/health', null);
    expect(h.json).toMatchObject({
      missing_response_header_batches: 1,
      missing_response_header_samples: 3,
      response_header_check: true,
    });
    // the OpenRLHF route counts too
    await post(s.url, '/get_reward', { query: completions, labels: truths });
    const h2 = await post(s.url, '/health', null);
    expect(h2.json.missing_response_header_batches).toBe(2);
    expect(h2.json.requests).toEqual({ '/trl': 1, '/get_reward': 1 });
  });

  it('TRL shape: a missing label column is a 422 naming it', async () => {
    const { s } = await start();
    const r = await post(s.url, '/trl', { prompts: [messages], completions: ['x'], label: ['8 6'] });
    expect(r.status).toBe(422);
    expect(r.json.error).toMatch(/missing column `ground_truth`/);
    const ok = await post(s.url, '/trl', {
      prompts: [messages],
      completions: [completions[0]],
      label: ['8 6'],
      ground_truth_column: 'label',
    });
    expect(ok.json.rewards[0]).toBe(
      reward.score({ sequence: renderChatMl(messages, '<think>') + completions[0], groundTruth: '8 6' })
        .total,
    );
  });

  it('verl shape: single and batched compute_score with a sequence prefix', async () => {
    const { s } = await start();
    const prefix = '<|im_start|>assistant\n<think>';
    const one = await post(s.url, '/verl', {
      data_source: 'judgelrm',
      solution_str: completions[0],
      ground_truth: '8 6',
      extra_info: { index: 0 },
      sequence_prefix: prefix,
    });
    const want = reward.score({ sequence: prefix + completions[0], groundTruth: '8 6' });
    expect(one.json.score).toBe(want.total);
    expect(one.json.format).toBe(want.components.format);
    const batch = await post(s.url, '/verl', {
      data_sources: ['judgelrm', 'judgelrm', 'judgelrm'],
      solution_strs: completions,
      ground_truths: truths,
      extra_infos: [{ response_length: 10, max_response_length: 100 }, null, null],
      sequence_prefix: prefix,
    });
    expect(batch.json.scores).toEqual(
      completions.map(
        (c, i) =>
          reward.score({
            sequence: prefix + c,
            groundTruth: truths[i],
            ...(i === 0 ? { responseLength: 10, maxResponseLength: 100 } : {}),
          }).total,
      ),
    );
    expect(batch.json.results[0].length_applied).toBe(1);
    const noPrefix = await post(s.url, '/verl', {
      data_source: 'x',
      solution_str: completions[0],
      ground_truth: '8 6',
    });
    expect(noPrefix.json.notes[0]).toMatch(/WARNING/);
    const bad = await post(s.url, '/verl', { solution_strs: ['a', 'b'], ground_truths: ['8 6'] });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/`ground_truths` must be an array of 2/);
  });
});
