import { request } from 'node:http';
import { extractJudgeLrmSolution } from '@judgekit/parsers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleOpenRlhfRequest } from './adapters.js';
import { createJudgeLrmReward } from './reward-function.js';
import { createRewardServer, type RewardServer, silentLogger } from './reward-server.js';
import { hasResponseHeader } from './reward-server-routes.js';

function post(url: string, body: Buffer): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL('/get_reward?extra_logs=1', url),
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const HEADER = '<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>';
const reward = createJudgeLrmReward();
let server: RewardServer;
beforeAll(async () => {
  server = await createRewardServer({ reward, port: 0, logger: silentLogger });
});
afterAll(() => server.close());

describe('reward server body decoding (one Buffer, decoded once)', () => {
  const request = {
    // Non-ASCII model text: accents, CJK, an emoji (a surrogate pair) and a think block in Greek.
    query: [
      `${HEADER}Réponse élégante — 好的 🙂</think><answer>8</answer><answer>6</answer>`,
      `${HEADER}λόγος</think><answer>3</answer><answer>9</answer>`,
      `${HEADER}plain ascii</think><answer>7</answer><answer>7</answer>`,
    ],
    labels: ['8 6', '8 6', '7 7'],
  };
  const local = handleOpenRlhfRequest(reward, request);
  if (!local.ok) throw new Error(local.error);

  it('UTF-8 bodies (raw and \\u-escaped) score exactly as in-process', async () => {
    const raw = await post(server.url, Buffer.from(JSON.stringify(request), 'utf8'));
    expect(raw.status).toBe(200);
    expect(raw.json.rewards).toEqual(local.response.rewards);
    expect(raw.json.extra_logs).toEqual(local.response.extra_logs);
    // Python's json.dumps (what `requests` sends) escapes non-ASCII: the body is pure ASCII.
    const escaped = JSON.stringify(request).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(Buffer.from(escaped, 'utf8').length).toBe(escaped.length); // every character one byte: ASCII
    const ascii = await post(server.url, Buffer.from(escaped, 'utf8'));
    expect(ascii.json.rewards).toEqual(local.response.rewards);
  });

  it('a leading byte-order mark is dropped; invalid UTF-8 (e.g. Latin-1 bytes) is a 400', async () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(request))]);
    expect((await post(server.url, bom)).json.rewards).toEqual(local.response.rewards);
    const latin1 = Buffer.from(JSON.stringify(request), 'latin1'); // é as the single byte 0xe9
    const r = await post(server.url, latin1);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/not valid UTF-8/);
  });
});

describe('hasResponseHeader', () => {
  it('agrees with the extraction’s missing-response-header on mixed inputs', () => {
    const parts = [
      'Assistant:',
      '<|im_start|>assistant',
      'assistant',
      'Assistant',
      ':',
      '<|im_start|>',
      'x',
      '\n',
    ];
    let x = 7;
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = x % 5;
      for (let j = 0; j < n; j++) {
        x = (Math.imul(x, 1103515245) + 12345) >>> 0;
        s += parts[x % parts.length];
      }
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      expect(hasResponseHeader(s)).toBe(extractJudgeLrmSolution(s).reason !== 'missing-response-header');
    }
    expect(hasResponseHeader(42 as unknown as string)).toBe(false);
  });
});
