import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { AbortedError, InvalidArgumentError, ModelCallError, NotSupportedError } from '@judgekit/core';
import type { LanguageModel } from 'ai';
import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import {
  sendJson,
  startVllmLikeServer,
  type VllmLikeServer,
  vllmCompletion,
  vllmError,
} from '../test/vllm-like-server.js';
import {
  type AiSdkLanguageModel,
  aiSdkUsage,
  createAiSdkJudgeModel,
  isAiSdkLanguageModel,
} from './ai-sdk-model.js';
import type { JudgeModel } from './judge-model.js';

let server: VllmLikeServer;
beforeEach(async () => {
  server = await startVllmLikeServer();
});
afterEach(async () => {
  await server.close();
});

const user = (content: string) => [
  { role: 'system' as const, content: 'be fair' },
  { role: 'user' as const, content },
];

/** AI SDK 6 (`@ai-sdk/openai-compatible` 2.x, language model spec v3). */
const v3 = () => createOpenAICompatible({ name: 'vllm', baseURL: server.baseURL, apiKey: 'k' })('Qwen3-8B');
/** AI SDK 5 (`@ai-sdk/openai` 2.x, spec v2), chat-completions model. */
const v2 = () => createOpenAI({ baseURL: server.baseURL, apiKey: 'k' }).chat('gpt-4o-mini');

describe('createAiSdkJudgeModel with real AI SDK providers over HTTP', () => {
  for (const [name, make, spec] of [
    ['@ai-sdk/openai-compatible (spec v3)', v3, 'v3'],
    ['@ai-sdk/openai chat (spec v2)', v2, 'v2'],
  ] as const) {
    it(`${name}: maps the request and the response`, async () => {
      server.handler = (body, res) =>
        sendJson(res, vllmCompletion(String(body.model), '[[A]]', { promptTokens: 30, completionTokens: 4 }));
      const lm = make();
      expect(lm.specificationVersion).toBe(spec);
      const model = createAiSdkJudgeModel(lm);
      const r = await model.generate({
        messages: user('which?'),
        maxTokens: 50,
        temperature: 0,
        seed: 3,
        stop: ['\n\n'],
      });
      expect(r.text).toBe('[[A]]');
      expect(r.usage).toMatchObject({
        promptTokens: 30,
        completionTokens: 4,
        inputTokens: 30,
        outputTokens: 4,
        totalTokens: 34,
      });
      expect(r.finishReason).toBe('stop');
      expect(r.cached).toBe(false);
      const body = server.requests[0]!.body;
      expect(body.messages).toEqual([
        { role: 'system', content: 'be fair' },
        { role: 'user', content: 'which?' },
      ]);
      expect(body.temperature).toBe(0);
      expect(body.seed).toBe(3);
      expect(body.stop).toEqual(['\n\n']);
      expect(body.max_tokens ?? body.max_completion_tokens).toBe(50);
      expect(model.id).toBe(`${lm.provider}:${lm.modelId}`);
    });
  }

  it('keeps reasoning_content apart (provider reasoning part) and splits a <think> block otherwise', async () => {
    server.handler = (b, res, n) =>
      sendJson(
        res,
        n === 0
          ? vllmCompletion(String(b.model), '[[B]]', { reasoning: 'B cites the source.' })
          : vllmCompletion(String(b.model), '<think>hmm</think>\n[[C]]'),
      );
    const model = createAiSdkJudgeModel(v3());
    const a = await model.generate({ messages: user('q') });
    expect(a).toMatchObject({
      text: '[[B]]',
      reasoningContent: 'B cites the source.',
      reasoningSource: 'provider',
    });
    const b = await model.generate({ messages: user('q') });
    expect(b).toMatchObject({ text: '[[C]]', reasoningContent: 'hmm', reasoningSource: 'think-tags' });
  });

  it('sends responseFormat as the provider JSON response format', async () => {
    server.handler = (b, res) => sendJson(res, vllmCompletion(String(b.model), '{"verdict":"A"}'));
    const schema = { type: 'object', properties: { verdict: { type: 'string' } }, required: ['verdict'] };
    await createAiSdkJudgeModel(
      createOpenAICompatible({ name: 'vllm', baseURL: server.baseURL, supportsStructuredOutputs: true })('m'),
    ).generate({ messages: user('q'), responseFormat: { type: 'json', schema } });
    expect(server.requests[0]!.body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { schema },
    });
  });

  it('HTTP errors become ModelCallError with the status; an abort is AbortedError', async () => {
    server.handler = (_b, res) => vllmError(res, 400, 'max_tokens is too large');
    const model = createAiSdkJudgeModel(v3());
    const error = await model.generate({ messages: user('q') }).catch((e: unknown) => e);
    expect(ModelCallError.isInstance(error)).toBe(true);
    expect((error as ModelCallError).status).toBe(400);
    expect((error as Error).message).toMatch(/max_tokens is too large/);

    server.handler = () => {}; // never answers
    const controller = new AbortController();
    const pending = model.generate({ messages: user('q'), signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    expect(AbortedError.isInstance(await pending.catch((e: unknown) => e))).toBe(true);
  });

  it('rejects a prefill, a model id string and unknown spec versions with typed errors', async () => {
    const model = createAiSdkJudgeModel(v3());
    const prefill = await model
      .generate({
        messages: [
          { role: 'user', content: 'q' },
          { role: 'assistant', content: '10' },
        ],
      })
      .catch((e: unknown) => e);
    expect(NotSupportedError.isInstance(prefill)).toBe(true);
    expect(() => createAiSdkJudgeModel('openai/gpt-4o' as unknown as AiSdkLanguageModel)).toThrow(
      InvalidArgumentError,
    );
    const fake = { specificationVersion: 'v9', provider: 'x', modelId: 'y', doGenerate: async () => ({}) };
    expect(() => createAiSdkJudgeModel(fake)).toThrow(/specification "v9"/);
    expect(isAiSdkLanguageModel(v2())).toBe(true);
    expect(isAiSdkLanguageModel({})).toBe(false);
  });

  it('reads v2 and v3 usage shapes', () => {
    expect(
      aiSdkUsage({
        inputTokens: 5,
        outputTokens: 2,
        totalTokens: 7,
        reasoningTokens: 1,
        cachedInputTokens: 3,
      }),
    ).toEqual({
      promptTokens: 5,
      completionTokens: 2,
      totalTokens: 7,
      inputTokens: 5,
      outputTokens: 2,
      cachedTokens: 3,
      reasoningTokens: 1,
    });
    expect(
      aiSdkUsage({
        inputTokens: { total: 9, noCache: 5, cacheRead: 4, cacheWrite: undefined },
        outputTokens: { total: 6, text: 2, reasoning: 4 },
      }),
    ).toMatchObject({
      promptTokens: 9,
      completionTokens: 6,
      totalTokens: 15,
      cachedTokens: 4,
      reasoningTokens: 4,
    });
  });

  it('types: an AI SDK LanguageModel object is accepted', () => {
    type ModelObject = Exclude<LanguageModel, string>;
    expectTypeOf<ModelObject>().toMatchTypeOf<AiSdkLanguageModel>();
    expectTypeOf(createAiSdkJudgeModel).returns.toEqualTypeOf<JudgeModel>();
  });
});
