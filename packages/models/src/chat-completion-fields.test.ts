import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  sendJson,
  startVllmLikeServer,
  type VllmLikeServer,
  vllmCompletion,
} from '../test/vllm-like-server.js';
import {
  OPENAI_DEFAULT_BASE_URL,
  openAIEnvDefaults,
  splitReasoning,
  splitThinkBlock,
  structuredOutputBody,
} from './chat-completion-fields.js';
import { createOpenAICompatibleModel } from './openai-compatible-model.js';
import { cacheKey } from './response-cache.js';

const user = (content: string) => [{ role: 'user' as const, content }];
const SCHEMA = { type: 'object', properties: { verdict: { enum: ['A', 'B', 'C'] } }, required: ['verdict'] };

let server: VllmLikeServer;
beforeEach(async () => {
  server = await startVllmLikeServer();
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

describe('OPENAI_BASE_URL / OPENAI_API_KEY defaults', () => {
  it('reads both as the OpenAI SDK does, empty counts as unset', () => {
    expect(openAIEnvDefaults({})).toEqual({ baseURL: OPENAI_DEFAULT_BASE_URL });
    expect(openAIEnvDefaults({ OPENAI_BASE_URL: 'http://h/v1', OPENAI_API_KEY: 'sk-1' })).toEqual({
      baseURL: 'http://h/v1',
      apiKey: 'sk-1',
    });
    expect(openAIEnvDefaults({ OPENAI_BASE_URL: '', OPENAI_API_KEY: ' ' })).toEqual({
      baseURL: OPENAI_DEFAULT_BASE_URL,
    });
  });

  it('a model without baseURL / apiKey talks to OPENAI_BASE_URL with OPENAI_API_KEY', async () => {
    vi.stubEnv('OPENAI_BASE_URL', server.baseURL);
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-env');
    const model = createOpenAICompatibleModel({ model: 'm' });
    const r = await model.generate({ messages: user('hi') });
    expect(r.text).toBe('echo: hi');
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-from-env');
  });

  it('an explicit apiKey wins over OPENAI_API_KEY and apiKey "" sends none', async () => {
    vi.stubEnv('OPENAI_API_KEY', 'sk-from-env');
    await createOpenAICompatibleModel({ baseURL: server.baseURL, model: 'm', apiKey: 'sk-mine' }).generate({
      messages: user('a'),
    });
    await createOpenAICompatibleModel({ baseURL: server.baseURL, model: 'm', apiKey: '' }).generate({
      messages: user('b'),
    });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-mine');
    expect(server.requests[1]!.headers.authorization).toBeUndefined();
  });

  it('a bad OPENAI_BASE_URL is named in the error', () => {
    vi.stubEnv('OPENAI_BASE_URL', 'not a url');
    expect(() => createOpenAICompatibleModel({ model: 'm' })).toThrow(/from OPENAI_BASE_URL/);
  });
});

describe('request body fields', () => {
  it('sends max_completion_tokens instead of max_tokens when asked', async () => {
    const a = createOpenAICompatibleModel({ baseURL: server.baseURL, model: 'm' });
    const b = createOpenAICompatibleModel({
      baseURL: server.baseURL,
      model: 'o3',
      maxTokensField: 'max_completion_tokens',
    });
    await a.generate({ messages: user('x'), maxTokens: 64 });
    await b.generate({ messages: user('x'), maxTokens: 64 });
    expect(server.requests[0]!.body.max_tokens).toBe(64);
    expect(server.requests[0]!.body).not.toHaveProperty('max_completion_tokens');
    expect(server.requests[1]!.body.max_completion_tokens).toBe(64);
    expect(server.requests[1]!.body).not.toHaveProperty('max_tokens');
  });

  it('sends a JSON schema as response_format, guided_json, or not at all', async () => {
    const responseFormat = { type: 'json' as const, schema: SCHEMA };
    for (const structuredOutput of ['response-format', 'guided-json', 'none'] as const) {
      await createOpenAICompatibleModel({ baseURL: server.baseURL, model: 'm', structuredOutput }).generate({
        messages: user('x'),
        responseFormat,
      });
    }
    expect(server.requests[0]!.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'judgment', schema: SCHEMA, strict: true },
    });
    expect(server.requests[1]!.body.guided_json).toEqual(SCHEMA);
    expect(server.requests[1]!.body).not.toHaveProperty('response_format');
    expect(server.requests[2]!.body).not.toHaveProperty('response_format');
    expect(server.requests[2]!.body).not.toHaveProperty('guided_json');
    expect(structuredOutputBody({ type: 'json', schema: SCHEMA, name: 'v' })).toMatchObject({
      response_format: { json_schema: { name: 'v' } },
    });
  });

  it('responseFormat is part of the cache key', () => {
    const base = { messages: user('x') };
    expect(cacheKey('m', base)).not.toBe(
      cacheKey('m', { ...base, responseFormat: { type: 'json', schema: SCHEMA } }),
    );
  });
});

describe('reasoning kept apart from the answer', () => {
  it('splits a leading <think> block off the content', async () => {
    server.handler = (_b, res) =>
      sendJson(res, vllmCompletion('r1', '<think>\nA is right.\n</think>\n\n[[A]]'));
    const r = await createOpenAICompatibleModel({ baseURL: server.baseURL, model: 'r1' }).generate({
      messages: user('q'),
    });
    expect(r.text).toBe('[[A]]');
    expect(r.reasoningContent).toBe('A is right.');
    expect(r.reasoningSource).toBe('think-tags');
  });

  it('keeps the content as sent with thinkBlocks: keep, and prefers the server field', async () => {
    server.handler = (_b, res, n) =>
      sendJson(
        res,
        n === 0
          ? vllmCompletion('r1', '<think>x</think>[[B]]')
          : vllmCompletion('r1', '<think>inline</think>[[B]]', { reasoning: 'server side' }),
      );
    const keep = createOpenAICompatibleModel({ baseURL: server.baseURL, model: 'r1', thinkBlocks: 'keep' });
    const r0 = await keep.generate({ messages: user('q') });
    expect(r0.text).toBe('<think>x</think>[[B]]');
    expect(r0.reasoningContent).toBeUndefined();
    const r1 = await createOpenAICompatibleModel({ baseURL: server.baseURL, model: 'r1' }).generate({
      messages: user('q'),
    });
    expect(r1.reasoningContent).toBe('server side');
    expect(r1.reasoningSource).toBe('reasoning_content');
    expect(r1.text).toBe('<think>inline</think>[[B]]');
  });

  it('leaves a bare </think> (prefilled opening tag) and mid-text tags alone', () => {
    const judgelrm = 'reasoning</think><answer>8</answer><answer>3</answer>';
    expect(splitThinkBlock(judgelrm)).toEqual({ text: judgelrm });
    expect(splitThinkBlock('Use <think>tags</think> like this.')).toEqual({
      text: 'Use <think>tags</think> like this.',
    });
    expect(splitReasoning('a', { reasoning: 'r' })).toEqual({
      text: 'a',
      reasoningContent: 'r',
      reasoningSource: 'reasoning',
    });
  });
});

describe('asJudgeModel', () => {
  it('passes a JudgeModel through, wraps an AI SDK model, and names the fix for a client or a name', async () => {
    const { asJudgeModel } = await import('./as-judge-model.js');
    const m = createOpenAICompatibleModel({ baseURL: server.baseURL, model: 'm' });
    expect(asJudgeModel(m)).toBe(m);
    const lm = {
      specificationVersion: 'v3',
      provider: 'p',
      modelId: 'x',
      doGenerate: async () => ({ content: [] }),
    };
    expect(asJudgeModel(lm).id).toBe('p:x');
    const client = { chat: { completions: { create: async () => ({}) } } };
    expect(() => asJudgeModel(client as never)).toThrow(/createOpenAIClientModel/);
    expect(() => asJudgeModel('gpt-4o' as never)).toThrow(/createOpenAICompatibleModel/);
  });
});
