#!/usr/bin/env node
/**
 * The reward server round trip a trainer makes: start the JudgeLRM reward server, POST a batch the
 * way OpenRLHF does ({query, prompts, labels} → {rewards, scores}, plus extra_logs when asked with ?extra_logs=1), read /health, and
 * check that every served reward equals the same reward computed in-process (`scoreBatch`). The
 * request carries no token counts (OpenRLHF sends none), so both skip the reward's length terms.
 *
 * Usage: node examples/reward-server-round-trip.mjs
 */
import { createJudgeLrmReward, createRewardServer, scoreBatch, silentLogger } from '@judgekit/rewards';

const head = '<|im_start|>user\nWhich answer is better?<|im_end|>\n<|im_start|>assistant\n<think>';
const batch = [
  {
    query: `${head}The first is complete and correct.</think><answer>8</answer><answer>6</answer><|im_end|>`,
    label: '8 6',
  },
  {
    query: `${head}The second is better.</think><answer>5</answer><answer>9</answer><|im_end|>`,
    label: '8 6',
  },
  { query: `${head}no tags at all<|im_end|>`, label: '8 6' },
];

const reward = createJudgeLrmReward();
const server = await createRewardServer({ reward, port: 0, logger: silentLogger });
try {
  const response = await fetch(`${server.url}/get_reward?extra_logs=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: batch.map((b) => b.query),
      prompts: batch.map(() => ''),
      labels: batch.map((b) => b.label),
    }),
  });
  if (!response.ok) throw new Error(`POST /get_reward: HTTP ${response.status} ${await response.text()}`);
  const body = await response.json();
  console.log(`served by ${server.url}: rewards ${JSON.stringify(body.rewards)}`);
  console.log(`extra_logs: ${Object.keys(body.extra_logs).join(', ')}`);
  const local = scoreBatch(
    reward,
    batch.map((b) => ({ sequence: b.query, groundTruth: b.label })),
  ).totals;
  for (const [i] of batch.entries())
    if (body.rewards[i] !== local[i])
      throw new Error(`sample ${i}: served ${body.rewards[i]}, in-process ${local[i]}`);
  console.log(`all ${batch.length} served rewards equal the in-process reward`);
  const health = await (await fetch(`${server.url}/health`)).json();
  console.log(`health: ${JSON.stringify(health)}`);
} finally {
  await server.close();
}
