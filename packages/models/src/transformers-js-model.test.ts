import { fileURLToPath } from 'node:url';
import { ConfigError, InvalidArgumentError } from '@judgekit/core';
import { AutoTokenizer } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JudgeModel } from './judge-model.js';
import { createTransformersJsModel, plainChatPrompt } from './transformers-js-model.js';

const modelPath = fileURLToPath(new URL('../../../fixtures/models/tiny-phi3-gqa', import.meta.url));

describe('plainChatPrompt', () => {
  it('renders role lines and an open assistant turn', () => {
    expect(
      plainChatPrompt([
        { role: 'system', content: 'S' },
        { role: 'user', content: 'Hi' },
      ]),
    ).toBe('system: S\nuser: Hi\nassistant: ');
  });
  it('continues a prefill verbatim', () => {
    expect(
      plainChatPrompt([
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'The answer is ' },
      ]),
    ).toBe('user: Hi\nassistant: The answer is ');
  });
});

describe('createTransformersJsModel (tiny-phi3-gqa fixture, random weights)', () => {
  let model: JudgeModel;
  // Reference token counter: the fixture tokenizer loaded directly (it has no chat template and no
  // BOS; it maps ASCII to single ids and drops characters outside its vocabulary, such as '\n').
  let countTokens: (text: string) => number;
  beforeAll(async () => {
    model = await createTransformersJsModel({ modelPath, maxNewTokens: 6 });
    const tok = await AutoTokenizer.from_pretrained(modelPath, { local_files_only: true });
    countTokens = (text) => tok.encode(text).length;
  });

  it('generates a string with usage from token counts', async () => {
    const messages = [{ role: 'user' as const, content: 'Hello world' }];
    const res = await model.generate({ messages });
    expect(model.id).toBe('tiny-phi3-gqa');
    expect(typeof res.text).toBe('string');
    expect(res.usage.promptTokens).toBe(countTokens(plainChatPrompt(messages)));
    expect(res.usage.promptTokens).toBeGreaterThan(20);
    expect(res.usage.completionTokens).toBeGreaterThan(0);
    expect(res.usage.completionTokens).toBeLessThanOrEqual(6);
    expect(res.usage.totalTokens).toBe(res.usage.promptTokens + res.usage.completionTokens);
    expect(['stop', 'length']).toContain(res.finishReason);
    if (res.usage.completionTokens === 6) expect(res.finishReason).toBe('length');
    expect(res.cached).toBe(false);
    expect(res.model).toBe('tiny-phi3-gqa');
  });

  it('honours maxTokens per request', async () => {
    const res = await model.generate({ messages: [{ role: 'user', content: 'abc' }], maxTokens: 2 });
    expect(res.usage.completionTokens).toBeLessThanOrEqual(2);
  });

  it('is deterministic (greedy) across calls, including concurrent ones', async () => {
    const req = { messages: [{ role: 'user' as const, content: 'Which answer is better?' }] };
    const a = await model.generate(req);
    const [b, c] = await Promise.all([model.generate(req), model.generate(req)]);
    expect(b.text).toBe(a.text);
    expect(c.text).toBe(a.text);
    expect(b.usage).toEqual(a.usage);
  });

  it('continues an assistant prefill: prompt counts the prefill, text is the continuation only', async () => {
    const user = { role: 'user' as const, content: 'Judge.' };
    const prefill = { role: 'assistant' as const, content: 'The answer is' };
    const res = await model.generate({ messages: [user, prefill] });
    expect(res.usage.promptTokens).toBe(countTokens('user: Judge.\nassistant: The answer is'));
    expect(res.text.startsWith('The answer is')).toBe(false);
    // greedy continuation equals the model continuing the same prompt given as a custom format
    const same = await createTransformersJsModel({
      modelPath,
      maxNewTokens: 6,
      formatPrompt: () => 'user: Judge.\nassistant: The answer is',
    });
    const ref = await same.generate({ messages: [user] });
    expect(ref.text).toBe(res.text);
    expect(ref.usage).toEqual(res.usage);
  });

  it('cuts at stop strings', async () => {
    const base = await model.generate({ messages: [{ role: 'user', content: 'xyz' }] });
    const chars = [...base.text];
    expect(chars.length).toBeGreaterThanOrEqual(2);
    const stop = chars[1]!;
    const res = await model.generate({ messages: [{ role: 'user', content: 'xyz' }], stop: [stop] });
    expect(res.text).toBe(base.text.slice(0, base.text.indexOf(stop)));
    expect(res.finishReason).toBe('stop');
  });

  it('rejects an empty chat and an aborted signal', async () => {
    await expect(model.generate({ messages: [] })).rejects.toBeInstanceOf(InvalidArgumentError);
    const ac = new AbortController();
    ac.abort();
    await expect(
      model.generate({ messages: [{ role: 'user', content: 'x' }], signal: ac.signal }),
    ).rejects.toMatchObject({ code: 'aborted' });
  });

  it('names the path when the model folder is missing', async () => {
    const missing = `${modelPath}-does-not-exist`;
    const err = await createTransformersJsModel({ modelPath: missing }).catch((e: unknown) => e);
    expect(ConfigError.isInstance(err)).toBe(true);
    expect((err as Error).message).toContain(missing);
  });
});
