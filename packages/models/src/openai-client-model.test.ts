import { AbortedError, InvalidArgumentError, ModelCallError } from '@judgekit/core';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  sendJson,
  startVllmLikeServer,
  type VllmLikeServer,
  vllmCompletion,
  vllmError,
} from '../test/vllm-like-server.js';
import type { JudgeModel } from './judge-model.js';
import { createOpenAIClientModel, isOpenAIClient, type OpenAIClientLike } from './openai-client-model.js';

let server: VllmLikeServer;
beforeEach(async () => {
  server = await startVllmLikeServer();
});
afterEach(async () => {
  await server.close();
});

const client = (maxRetries = 0) => new OpenAI({ baseURL: server.baseURL, apiKey: 'sk-test', maxRetries });
const user = (content: string) => [{ role: 'user' as const, content }];

describe('createOpenAIClientModel with the real openai SDK over HTTP', () => {
  it('sends the chat body through the client and maps the completion', async () => {
    server.handler = (b, res) =>
      sendJson(
        res,
        vllmCompletion(String(b.model), '8 3\nAssistant 1 is better.', {
          reasoning: 'compare',
          promptTokens: 20,
          completionTokens: 7,
        }),
      );
    const model = createOpenAIClientModel(client(), { model: 'judgelm-7b', extraBody: { top_k: 1 } });
    const r = await model.generate({ messages: user('q'), maxTokens: 32, temperature: 0, seed: 1 });
    expect(r).toMatchObject({
      text: '8 3\nAssistant 1 is better.',
      reasoningContent: 'compare',
      reasoningSource: 'reasoning_content',
      model: 'judgelm-7b',
      finishReason: 'stop',
      usage: { promptTokens: 20, inputTokens: 20, completionTokens: 7, outputTokens: 7, totalTokens: 27 },
    });
    const req = server.requests[0]!;
    expect(req.headers.authorization).toBe('Bearer sk-test');
    expect(req.body).toMatchObject({
      model: 'judgelm-7b',
      max_tokens: 32,
      temperature: 0,
      seed: 1,
      top_k: 1,
    });
    expect(model.id).toBe('judgelm-7b');
  });

  it('max_completion_tokens, prefill switches and structured output reach the server', async () => {
    const model = createOpenAIClientModel(client(), { model: 'o3', maxTokensField: 'max_completion_tokens' });
    const schema = { type: 'object', properties: { score: { type: 'integer' } } };
    await model.generate({
      messages: [...user('q'), { role: 'assistant', content: '10' }],
      maxTokens: 8,
      responseFormat: { type: 'json', schema },
    });
    const body = server.requests[0]!.body;
    expect(body.max_completion_tokens).toBe(8);
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).toMatchObject({ continue_final_message: true, add_generation_prompt: false });
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'judgment', schema, strict: true },
    });
  });

  it('an HTTP error is ModelCallError with the status; an abort is AbortedError', async () => {
    server.handler = (_b, res) => vllmError(res, 404, 'The model `nope` does not exist.');
    const model = createOpenAIClientModel(client(), { model: 'nope' });
    const error = await model.generate({ messages: user('q') }).catch((e: unknown) => e);
    expect(ModelCallError.isInstance(error)).toBe(true);
    expect((error as ModelCallError).status).toBe(404);
    expect((error as ModelCallError).retryable).toBe(false);
    server.handler = () => {};
    const controller = new AbortController();
    const pending = model.generate({ messages: user('q'), signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(AbortedError.isInstance(await pending.catch((e: unknown) => e))).toBe(true);
  });

  it('splits a <think> block and rejects what is not a client', async () => {
    server.handler = (b, res) =>
      sendJson(res, vllmCompletion(String(b.model), '<think>long</think>Rating: [[7]]'));
    const r = await createOpenAIClientModel(client(), { model: 'r1' }).generate({ messages: user('q') });
    expect(r).toMatchObject({
      text: 'Rating: [[7]]',
      reasoningContent: 'long',
      reasoningSource: 'think-tags',
    });
    expect(() => createOpenAIClientModel({} as OpenAIClientLike, { model: 'm' })).toThrow(
      InvalidArgumentError,
    );
    expect(() => createOpenAIClientModel(client(), { model: '' })).toThrow(InvalidArgumentError);
    expect(isOpenAIClient(client())).toBe(true);
  });

  it('types: an OpenAI instance is an OpenAIClientLike', () => {
    expectTypeOf<OpenAI>().toMatchTypeOf<OpenAIClientLike>();
    expectTypeOf(createOpenAIClientModel).returns.toEqualTypeOf<JudgeModel>();
  });
});
