import { ModelCallError } from '@judgekit/core';
import { describe, expect, it } from 'vitest';
import { createReplayJudgeModel } from './replay-judge-model.js';
import { createRoundRobinModel } from './round-robin-model.js';

const messages = [{ role: 'user' as const, content: 'judge' }];

describe('createReplayJudgeModel', () => {
  it('serves the recorded output of the requested sample and order', async () => {
    const m = createReplayJudgeModel({
      id: 'replay:x',
      outputs: { a: '1', b: { text: '2', reasoningContent: 'because' } },
      swappedOutputs: new Map([['a', '2']]),
    });
    expect(m.size).toBe(2);
    expect((await m.generate({ messages, sampleId: 'a' })).text).toBe('1');
    const b = await m.generate({ messages, sampleId: 'b', sampleOrder: 'original' });
    expect(b).toMatchObject({ text: '2', reasoningContent: 'because', model: 'replay:x', cached: false });
    expect((await m.generate({ messages, sampleId: 'a', sampleOrder: 'swapped' })).text).toBe('2');
  });

  it('rejects (an error outcome, never a verdict) for an unknown id, no id, or no swapped recordings', async () => {
    const m = createReplayJudgeModel({ id: 'r', outputs: { a: '1' } });
    for (const req of [
      { messages, sampleId: 'zz' },
      { messages },
      { messages, sampleId: 'a', sampleOrder: 'swapped' as const },
    ]) {
      const err = await m.generate(req).catch((e: unknown) => e);
      expect(ModelCallError.isInstance(err)).toBe(true);
      expect((err as ModelCallError).retryable).toBe(false);
    }
    await expect(m.generate({ messages, sampleId: 'zz' })).rejects.toThrow(/"zz"/);
  });
});

describe('createRoundRobinModel', () => {
  it('sends calls to the backends in turn', async () => {
    const seen: string[] = [];
    const backend = (name: string) => createReplayJudgeModel({ id: name, outputs: { a: name } });
    const rr = createRoundRobinModel([backend('s1'), backend('s2'), backend('s3')], { id: 'pool' });
    for (let i = 0; i < 6; i++) seen.push((await rr.generate({ messages, sampleId: 'a' })).text);
    expect(seen).toEqual(['s1', 's2', 's3', 's1', 's2', 's3']);
    expect(rr.id).toBe('pool');
    expect(() => createRoundRobinModel([])).toThrow(/non-empty/);
  });
});
