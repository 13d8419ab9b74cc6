#!/usr/bin/env node
/**
 * judge() and grade() in one call each, against any OpenAI-compatible server.
 *
 * Usage (after `pnpm build`):
 *   OPENAI_BASE_URL=http://127.0.0.1:8000/v1 node examples/judge-one-call.mjs Qwen/Qwen3-8B
 * Without OPENAI_BASE_URL it starts a small stand-in judge on 127.0.0.1 (no network), so CI runs it.
 */
import { createServer } from 'node:http';
import { createOpenAICompatibleModel, grade, judge } from '@judgekit/pipelines';

const stand = process.env.OPENAI_BASE_URL ? undefined : await startStandInJudge();

// --- the README's "Judge in one call" -------------------------------------------------------
const model = createOpenAICompatibleModel({ model: process.argv[2] ?? 'Qwen/Qwen3-8B' }); // OPENAI_BASE_URL, OPENAI_API_KEY

const r = await judge({
  model,
  question: 'What is the capital of Australia?',
  answers: ['Sydney.', 'Canberra.'],
  swap: true, // judge both orders; inconsistent → tie (FastChat)
});
if (r.status === 'verdict') console.log(r.verdict, r.swap, r.rationale);
else console.log(r.status, r.status === 'parse-failure' ? r.failure : r.error);

const score = await grade({
  model,
  question: 'What is the capital of Australia?',
  answer: 'Canberra.',
  output: 'autoevals', // { name, score in [0, 1], metadata }
});
console.log(score.name, score.score, score.metadata.rawScore);
// ---------------------------------------------------------------------------------------------

if (stand) {
  await stand.close();
  // What CI checks: the stand-in prefers Canberra in both orders and rates it 9/10.
  if (r.status !== 'verdict' || r.verdict !== 'answer2' || r.swap?.consistent !== true) process.exit(1);
  if (Math.abs(score.score - 8 / 9) > 1e-12) process.exit(1);
}

/** A stand-in OpenAI-compatible judge: prefers the answer naming Canberra, rates it 9. */
async function startStandInJudge() {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { model, messages } = JSON.parse(body);
      const user = messages
        .filter((m) => m.role === 'user')
        .map((m) => m.content)
        .join('\n');
      const single = user.includes("[The Start of Assistant's Answer]");
      const canberraFirst = user.indexOf('Canberra.') < user.indexOf('Sydney.') || !user.includes('Sydney.');
      const content = single
        ? 'Canberra is correct. Rating: [[9]]'
        : `Canberra is the capital. ${canberraFirst ? '[[A]]' : '[[B]]'}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 200, completion_tokens: 12, total_tokens: 212 },
        }),
      );
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.OPENAI_BASE_URL = `http://127.0.0.1:${server.address().port}/v1`;
  return { close: () => new Promise((resolve) => server.close(resolve)) };
}
