import { AbortedError } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { createFakeJudgeModel } from './fake-judge-model.js';

describe('createFakeJudgeModel', () => {
  it('answers from its function, fills in the response and records calls', async () => {
    const model = createFakeJudgeModel((req, i) => `${i}: ${req.messages.at(-1)?.content}`, {
      id: 'judge-x',
    });
    const r = await model.generate({ messages: [{ role: 'user', content: 'hello there' }], temperature: 0 });
    expect(r).toEqual({
      text: '0: hello there',
      usage: { promptTokens: 2, completionTokens: 3, totalTokens: 5 },
      finishReason: 'stop',
      cached: false,
      model: 'judge-x',
      latencyMs: 0,
    });
    expect(model.id).toBe('judge-x');
    expect(model.calls).toEqual([{ messages: [{ role: 'user', content: 'hello there' }], temperature: 0 }]);
  });

  it('accepts partial responses (async too) and keeps given fields', async () => {
    const model = createFakeJudgeModel(async () => ({
      text: '9 2',
      reasoningContent: 'r',
      usage: { promptTokens: 100, completionTokens: 3, totalTokens: 103 },
      finishReason: 'length',
    }));
    const r = await model.generate({ messages: [{ role: 'user', content: 'q' }] });
    expect(r.text).toBe('9 2');
    expect(r.reasoningContent).toBe('r');
    expect(r.usage.promptTokens).toBe(100);
    expect(r.finishReason).toBe('length');
    expect(r.model).toBe('fake-judge');
  });

  it('is deterministic and honours an aborted signal', async () => {
    const model = createFakeJudgeModel((req) => String(req.messages.length));
    const a = await model.generate({ messages: [{ role: 'user', content: 'x' }] });
    const b = await model.generate({ messages: [{ role: 'user', content: 'x' }] });
    expect(a).toEqual(b);
    await expect(
      model.generate({ messages: [{ role: 'user', content: 'x' }], signal: AbortSignal.abort() }),
    ).rejects.toSatisfy((e) => AbortedError.isInstance(e));
  });
});
