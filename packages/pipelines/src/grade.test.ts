import { createOpenAICompatibleModel, type JudgeModel } from '@judgekit/models';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatServer, startChatServer, userText } from '../test/chat-server.js';
import { grade, gradeMany, toAutoevalsScore } from './grade.js';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const model = (s: ChatServer): JudgeModel =>
  createOpenAICompatibleModel({ baseURL: s.baseURL, model: 'grader', apiKey: '', maxRetries: 0 });

describe('grade() against a local server', () => {
  it('returns the score on the format scale, normalised, with rationale and usage', async () => {
    server = await startChatServer(() => 'Correct and concise.\n\nRating: [[8]]');
    const r = await grade({ model: model(server), question: 'Capital of France?', answer: 'Paris.' });
    expect(r).toMatchObject({
      status: 'score',
      score: 8,
      scale: [1, 10],
      rationale: 'Correct and concise.',
      format: 'mtbench/single-v1',
      usage: { inputTokens: 100, outputTokens: 10 },
    });
    expect(r.normalizedScore).toBeCloseTo(7 / 9, 12);
    expect(userText(server.bodies[0]!)).toContain('Paris.');
  });

  it('autoevals shape: { name, score in [0,1], metadata }; failures and errors have score null', async () => {
    server = await startChatServer((_b, n) =>
      n === 0
        ? 'Good. Rating: [[10]]'
        : n === 1
          ? 'no rating here'
          : n === 2
            ? 'Rating: [[11]]'
            : { status: 400, message: 'bad' },
    );
    const args = {
      model: model(server),
      question: 'q',
      answer: 'a',
      output: 'autoevals' as const,
      name: 'Helpfulness',
    };
    const ok = await grade(args);
    expect(ok).toMatchObject({
      name: 'Helpfulness',
      score: 1,
      metadata: { status: 'score', rawScore: 10, scale: [1, 10] },
    });
    const unread = await grade(args);
    expect(unread.score).toBeNull();
    expect(unread.metadata.status).toBe('parse-failure');
    expect(unread.metadata.failure?.reason).toMatch(/\S/);
    const outOfScale = await grade(args);
    expect(outOfScale).toMatchObject({
      score: null,
      metadata: { status: 'score', rawScore: 11, outOfScale: true },
    });
    const failed = await grade(args);
    expect(failed).toMatchObject({
      score: null,
      metadata: { status: 'error' },
      error: { code: 'model_call', status: 400 },
    });
  });

  it('Prometheus absolute grading normalises 1-5 and needs its rubric', async () => {
    server = await startChatServer(() => 'Feedback: Solid answer. [RESULT] 4');
    const r = await grade({
      model: model(server),
      format: 'prometheus/absolute',
      question: 'q',
      answer: 'a',
      reference: 'ref',
      vars: { rubric: 'Is it right?' },
    });
    expect(r).toMatchObject({ status: 'score', score: 4, normalizedScore: 0.75, rationale: 'Solid answer.' });
    expect(toAutoevalsScore(r as never).score).toBe(0.75);
  });

  it('JudgeLM single-answer grading: forced "10" prefill, the reference as Assistant 1', async () => {
    server = await startChatServer(() => ' 7\nMostly right.');
    const r = await grade({
      model: model(server),
      format: 'judgelm/single',
      question: 'q',
      answer: 'ANS',
      reference: 'REF',
    });
    expect(r).toMatchObject({ status: 'score', score: 7, rationale: 'Mostly right.', scale: [1, 10] });
    expect(r.call.prefill).toBe('10');
    expect(userText(server.bodies[0]!)).toContain('REF');
  });

  it('a pairwise template is an error; gradeMany keeps order and reports progress', async () => {
    server = await startChatServer((b) => `Rating: [[${userText(b).includes('good') ? 9 : 3}]]`);
    await expect(
      grade({ model: model(server), format: 'mtbench/pair-v2', question: 'q', answer: 'a' }),
    ).rejects.toThrow(/pairwise template/);
    const seen: number[] = [];
    const rs = await gradeMany(
      [
        { id: 'a', question: 'q', answer: 'good answer' },
        { id: 'b', question: 'q', answer: 'weak answer' },
      ],
      { model: model(server), concurrency: 2, onProgress: (p) => seen.push(p.scores) },
    );
    expect(rs.map((r) => [r.id, r.score])).toEqual([
      ['a', 9],
      ['b', 3],
    ]);
    expect(seen.sort()).toEqual([1, 2]);
  });
});
