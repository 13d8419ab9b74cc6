import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { createOpenAIClientModel } from '@judgekit/models';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatServer, startChatServer, userText } from '../test/chat-server.js';
import { grade } from './grade.js';
import { judge } from './judge.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function reply(body: Record<string, unknown>): string {
  const t = userText(body);
  if (t.includes("[The Start of Assistant's Answer]")) return 'Good. Rating: [[6]]';
  return t.indexOf('Paris.') < t.indexOf('Lyon.') ? 'Paris is right. [[A]]' : 'Paris is right. [[B]]';
}

describe('judge() / grade() with models users bring, over a local server', () => {
  it('an AI SDK model object, used as is', async () => {
    server = await startChatServer(reply);
    const model = createOpenAICompatible({ name: 'local', baseURL: server.baseURL })('Qwen3-8B');
    const r = await judge({
      model,
      question: 'Capital of France?',
      answers: ['Lyon.', 'Paris.'],
      swap: true,
    });
    expect(r).toMatchObject({
      status: 'verdict',
      verdict: 'answer2',
      model: 'local.chat:Qwen3-8B',
      swap: { consistent: true },
    });
    expect(r.usage).toMatchObject({ inputTokens: 200, outputTokens: 20 });
    const g = await grade({ model, question: 'q', answer: 'a', output: 'autoevals' });
    expect(g.score).toBeCloseTo(5 / 9, 12);
  });

  it('an OpenAI SDK client through createOpenAIClientModel', async () => {
    server = await startChatServer(reply);
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'sk-local', maxRetries: 0 });
    const model = createOpenAIClientModel(client, {
      model: 'gpt-4o-mini',
      maxTokensField: 'max_completion_tokens',
    });
    const r = await judge({
      model,
      question: 'Capital of France?',
      answers: ['Paris.', 'Lyon.'],
      maxTokens: 64,
    });
    expect(r).toMatchObject({ status: 'verdict', verdict: 'answer1', rationale: 'Paris is right.' });
    expect(server.bodies[0]!.max_completion_tokens).toBe(64);
  });

  it('an OpenAI SDK client passed directly is an error that names the adapter', async () => {
    const client = new OpenAI({ baseURL: 'http://127.0.0.1:9/v1', apiKey: 'x' });
    await expect(judge({ model: client as never, question: 'q', answers: ['a', 'b'] })).rejects.toThrow(
      /createOpenAIClientModel/,
    );
  });
});
