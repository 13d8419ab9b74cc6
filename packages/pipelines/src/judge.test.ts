import { AbortedError, InvalidArgumentError } from '@judgekit/core';
import { createOpenAICompatibleModel, type JudgeModel } from '@judgekit/models';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatServer, startChatServer, userText } from '../test/chat-server.js';
import { judge, judgeMany } from './judge.js';

const Q = 'What is the capital of France?';
const GOOD = 'Paris.';
const BAD = 'Lyon.';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A model on the local server; no retries so that a 500 is an error at once. */
function model(s: ChatServer, name = 'judge-7b'): JudgeModel {
  return createOpenAICompatibleModel({ baseURL: s.baseURL, model: name, apiKey: '', maxRetries: 0 });
}

/** MT-Bench reply preferring the answer "Paris." wherever it is shown. */
function prefersParis(body: Record<string, unknown>): string {
  const t = userText(body);
  const aFirst = t.indexOf(GOOD) < t.indexOf(BAD);
  return `The answer naming Paris is correct. ${aFirst ? '[[A]]' : '[[B]]'}`;
}

describe('judge() against a local OpenAI-compatible server', () => {
  it('returns a typed verdict with rationale, raw text, usage and the parse outcome', async () => {
    server = await startChatServer(prefersParis);
    const r = await judge({ model: model(server), question: Q, answers: [GOOD, BAD] });
    expect(r.status).toBe('verdict');
    if (r.status !== 'verdict') throw new Error('unreachable');
    expect(r.verdict).toBe('answer1');
    expect(r.rationale).toBe('The answer naming Paris is correct.');
    expect(r.text).toBe('The answer naming Paris is correct. [[A]]');
    expect(r.usage).toMatchObject({
      inputTokens: 100,
      outputTokens: 10,
      promptTokens: 100,
      totalTokens: 110,
    });
    expect(r.format).toBe('mtbench/pair-v2');
    expect(r.outputFormat).toBe('mtbench-pair');
    expect(r.calls).toHaveLength(1);
    expect(r.calls[0]!.parse).toMatchObject({ ok: true, judgment: { kind: 'pairwise', verdict: 'answer1' } });
    expect(server.bodies[0]!.temperature).toBe(0);
    expect(userText(server.bodies[0]!)).toContain(Q);
  });

  it('a reply without a verdict is a parse failure with reason and raw text, never a tie', async () => {
    server = await startChatServer(() => 'Both answers have merit; I cannot choose.');
    const r = await judge({ model: model(server), question: Q, answers: [GOOD, BAD] });
    expect(r.status).toBe('parse-failure');
    expect(r.verdict).toBeNull();
    if (r.status !== 'parse-failure') throw new Error('unreachable');
    expect(r.failure.raw).toBe('Both answers have merit; I cannot choose.');
    expect(r.failure.reason).toMatch(/\S/);
  });

  it('a failed call is an error outcome with code and HTTP status', async () => {
    server = await startChatServer(() => ({ status: 400, message: 'prompt is too long' }));
    const r = await judge({ model: model(server), question: Q, answers: [GOOD, BAD] });
    expect(r.status).toBe('error');
    if (r.status !== 'error') throw new Error('unreachable');
    expect(r.error).toMatchObject({ code: 'model_call', status: 400 });
    expect(r.error.message).toMatch(/prompt is too long/);
    expect(r.text).toBeNull();
  });

  it('swap: consistent orders keep the verdict; a position-biased judge gives a tie under the named rule', async () => {
    server = await startChatServer(prefersParis);
    const r = await judge({ model: model(server), question: Q, answers: [BAD, GOOD], swap: true });
    expect(r).toMatchObject({
      status: 'verdict',
      verdict: 'answer2',
      swap: { rule: 'fastchat-inconsistent-to-tie', consistent: true },
    });
    expect(r.calls.map((c) => [c.order, c.verdictAsJudged, c.verdict])).toEqual([
      ['original', 'answer2', 'answer2'],
      ['swapped', 'answer1', 'answer2'],
    ]);
    expect(r.usage.inputTokens).toBe(200);
    await server.close();

    server = await startChatServer(() => 'First is better. [[A]]');
    const biased = await judge({ model: model(server), question: Q, answers: [BAD, GOOD], swap: true });
    expect(biased).toMatchObject({ status: 'verdict', verdict: 'tie', swap: { consistent: false } });
  });

  it('swap: a parse failure in one order is a parse failure of the judgment', async () => {
    server = await startChatServer((_b, n) => (n === 0 ? '[[A]]' : 'no idea'));
    const r = await judge({ model: model(server), question: Q, answers: [GOOD, BAD], swap: true });
    expect(r.status).toBe('parse-failure');
    expect(r.swap).toEqual({ rule: 'fastchat-inconsistent-to-tie', consistent: null });
  });

  it('JudgeLM scores come back in the original frame, also for the swapped call', async () => {
    server = await startChatServer((b) => {
      const t = userText(b);
      return t.indexOf(GOOD) < t.indexOf(BAD)
        ? '9 2\nAssistant 1 names Paris.'
        : '2 9\nAssistant 2 names Paris.';
    });
    const r = await judge({
      model: model(server),
      format: 'judgelm/pair',
      question: Q,
      answers: [GOOD, BAD],
      swap: true,
    });
    expect(r).toMatchObject({
      status: 'verdict',
      verdict: 'answer1',
      scores: [9, 2],
      rationale: 'Assistant 1 names Paris.',
    });
    expect(r.calls[1]!.scores).toEqual([9, 2]);
  });

  it('reasoning in <think> or reasoning_content is kept apart from the answer', async () => {
    server = await startChatServer((_b, n) =>
      n === 0
        ? '<think>Lyon is wrong.</think>\nB is wrong. [[A]]'
        : { content: '[[B]]', reasoning: 'Check both.' },
    );
    const a = await judge({ model: model(server), question: Q, answers: [GOOD, BAD] });
    expect(a).toMatchObject({
      status: 'verdict',
      verdict: 'answer1',
      reasoningContent: 'Lyon is wrong.',
      text: 'B is wrong. [[A]]',
    });
    const b = await judge({ model: model(server), question: Q, answers: [GOOD, BAD] });
    expect(b).toMatchObject({
      verdict: 'answer2',
      reasoningContent: 'Check both.',
      rationale: 'Check both.',
    });
  });

  it('a reference uses the template reference form; a template without one is an error', async () => {
    server = await startChatServer(() => '[[A]]');
    await judge({
      model: model(server),
      format: 'mtbench/pair-math-v1',
      question: '2+2?',
      answers: ['4', '5'],
      reference: 'FOUR-REF',
    });
    expect(userText(server.bodies[0]!)).toContain('FOUR-REF');
    await expect(
      judge({
        model: model(server),
        format: 'pandalm/pair',
        question: Q,
        answers: [GOOD, BAD],
        reference: 'x',
      }),
    ).rejects.toThrow(InvalidArgumentError);
    await expect(
      judge({ model: model(server), format: 'mtbench/single-v1', question: Q, answers: [GOOD, BAD] }),
    ).rejects.toThrow(/single template/);
    await expect(judge({ model: model(server), question: Q, answers: [GOOD] as never })).rejects.toThrow(
      /exactly two/,
    );
  });

  it('abortSignal cancels the call and rejects with AbortedError', async () => {
    server = await startChatServer(() => 'hang');
    const controller = new AbortController();
    const pending = judge({
      model: model(server),
      question: Q,
      answers: [GOOD, BAD],
      abortSignal: controller.signal,
    });
    setTimeout(() => controller.abort(), 30);
    const error = await pending.catch((e: unknown) => e);
    expect(AbortedError.isInstance(error)).toBe(true);
  });
});

describe('templates with an assistant prefill', () => {
  it('JudgeLRM: the <think> prefill is sent for continuation and parsed with the completion', async () => {
    server = await startChatServer(() => 'Paris is the capital.</think><answer>9</answer><answer>2</answer>');
    const r = await judge({
      model: model(server),
      format: 'judgelrm/pair',
      question: Q,
      answers: [GOOD, BAD],
    });
    expect(r).toMatchObject({
      status: 'verdict',
      verdict: 'answer1',
      scores: [9, 2],
      rationale: 'Paris is the capital.',
    });
    expect(r.calls[0]!.prefill).toBe('<think>');
    const body = server.bodies[0]!;
    expect(body).toMatchObject({ continue_final_message: true, add_generation_prompt: false });
    expect((body.messages as { role: string }[]).at(-1)!.role).toBe('assistant');
    // strict (upstream) reading needs the prefilled <think> in front of the completion
    const strict = await judge({
      model: model(server),
      format: 'judgelrm/pair',
      parseMode: 'strict',
      question: Q,
      answers: [GOOD, BAD],
    });
    expect(strict).toMatchObject({ status: 'verdict', verdict: 'answer1' });
  });
});

describe('structured output', () => {
  it('sends the JSON schema and reads a JSON reply', async () => {
    server = await startChatServer(() => JSON.stringify({ explanation: 'Paris is right.', verdict: 'A' }));
    const r = await judge({
      model: model(server),
      question: Q,
      answers: [GOOD, BAD],
      structuredOutput: true,
    });
    expect(r).toMatchObject({ status: 'verdict', verdict: 'answer1', rationale: 'Paris is right.' });
    expect(r.calls[0]!.structured).toEqual({ requested: true, used: true });
    const body = server.bodies[0]!;
    expect(body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { schema: { required: ['explanation', 'verdict'] } },
    });
    expect(userText(body)).toMatch(/Reply with a JSON object/);
  });

  it('falls back to the plain-text parser and says why', async () => {
    server = await startChatServer((_b, n) =>
      n === 0 ? 'Plain text after all. [[B]]' : '{"explanation": "x", "verdict": "D"}',
    );
    const a = await judge({
      model: model(server),
      question: Q,
      answers: [GOOD, BAD],
      structuredOutput: true,
    });
    expect(a).toMatchObject({ status: 'verdict', verdict: 'answer2' });
    expect(a.calls[0]!.structured).toEqual({ requested: true, used: false, fallback: 'not-json' });
    const b = await judge({
      model: model(server),
      question: Q,
      answers: [GOOD, BAD],
      structuredOutput: true,
    });
    expect(b.status).toBe('parse-failure');
    expect(b.calls[0]!.structured).toEqual({ requested: true, used: false, fallback: 'json-no-verdict' });
  });

  it('formats without a JSON form are an error before any call', async () => {
    server = await startChatServer(() => '');
    await expect(
      judge({
        model: model(server),
        format: 'judgelrm/pair',
        question: Q,
        answers: [GOOD, BAD],
        structuredOutput: true,
      }),
    ).rejects.toThrow(/has no JSON form/);
    expect(server.bodies).toHaveLength(0);
  });
});

describe('judgeMany()', () => {
  it('judges in input order with bounded concurrency and reports progress', async () => {
    server = await startChatServer(async (b) => {
      await new Promise((r) => setTimeout(r, 5));
      return userText(b).includes('Q3') ? 'undecided' : prefersParis(b);
    });
    const items = Array.from({ length: 8 }, (_, i) => ({
      id: `q${i}`,
      question: `Q${i}: ${Q}`,
      answers: (i % 2 === 0 ? [GOOD, BAD] : [BAD, GOOD]) as [string, string],
    }));
    const progress: number[] = [];
    const results = await judgeMany(items, {
      model: model(server),
      concurrency: 2,
      onProgress: (p) => progress.push(p.done),
    });
    expect(results.map((r) => r.id)).toEqual(items.map((i) => i.id));
    expect(results.map((r) => r.verdict)).toEqual([
      'answer1',
      'answer2',
      'answer1',
      null,
      'answer1',
      'answer2',
      'answer1',
      'answer2',
    ]);
    expect(results[3]!.status).toBe('parse-failure');
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('on abort, unfinished items are aborted errors and the batch still resolves', async () => {
    const controller = new AbortController();
    server = await startChatServer((b, n) => {
      if (n === 1) controller.abort();
      return n === 0 ? prefersParis(b) : 'hang';
    });
    const items = Array.from({ length: 5 }, (_, i) => ({
      question: `${i}`,
      answers: [GOOD, BAD] as [string, string],
    }));
    const results = await judgeMany(items, {
      model: model(server),
      concurrency: 1,
      abortSignal: controller.signal,
    });
    expect(results[0]!.status).toBe('verdict');
    for (const r of results.slice(1))
      expect(r).toMatchObject({ status: 'error', error: { code: 'aborted' } });
  });

  it('a panel batch aborted midway resolves with aborted jury results', async () => {
    const controller = new AbortController();
    server = await startChatServer((b, n) => {
      if (n === 2) controller.abort();
      return n < 2 ? prefersParis(b) : 'hang';
    });
    const items = Array.from({ length: 3 }, (_, i) => ({
      question: `${i}`,
      answers: [GOOD, BAD] as [string, string],
    }));
    const results = await judgeMany(items, {
      model: [model(server, 'a'), model(server, 'b')],
      concurrency: 1,
      abortSignal: controller.signal,
    });
    expect(results[0]).toMatchObject({ status: 'verdict', verdict: 'answer1', rule: 'majority' });
    for (const r of results.slice(1))
      expect(r).toMatchObject({ status: 'error', jurors: [], error: { code: 'aborted' } });
  });

  it('rejects bad items before any call', async () => {
    server = await startChatServer(() => '[[A]]');
    await expect(judgeMany([{ question: 'q' } as never], { model: model(server) })).rejects.toThrow(
      /items\[0\]/,
    );
    expect(server.bodies).toHaveLength(0);
  });
});
