import { createOpenAICompatibleModel, type JudgeModel } from '@judgekit/models';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatServer, startChatServer, userText } from '../test/chat-server.js';
import { judge, judgeMany } from './judge.js';
import { jury, juryAgreement } from './jury.js';

const Q = 'Capital of France?';
const GOOD = 'Paris.';
const BAD = 'Lyon.';

let server: ChatServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const model = (s: ChatServer, name: string): JudgeModel =>
  createOpenAICompatibleModel({ baseURL: s.baseURL, model: name, apiKey: '', maxRetries: 0 });

/** judge-a and judge-b prefer Paris; judge-c always says A; judge-x fails to parse. */
function panelReply(body: Record<string, unknown>): string {
  const t = userText(body);
  const parisFirst = t.indexOf(GOOD) < t.indexOf(BAD);
  const judgelm = t.includes('Assistant 1');
  switch (body.model) {
    case 'judge-a':
    case 'judge-b':
      if (judgelm) return parisFirst ? `${body.model === 'judge-a' ? '9 2' : '8 3'}\nParis.` : '2 9\nParis.';
      return parisFirst ? 'Paris. [[A]]' : 'Paris. [[B]]';
    case 'judge-c':
      return judgelm ? '7 7\nsame' : '[[A]]';
    default:
      return 'cannot tell';
  }
}

describe('juries against a local server', () => {
  it('judge({ model: [...] }) is a majority jury with each juror, the panel verdict and agreement', async () => {
    server = await startChatServer(panelReply);
    const panel = ['judge-a', 'judge-b', 'judge-c'].map((n) => model(server!, n));
    const r = await judge({ model: panel, question: Q, answers: [BAD, GOOD] });
    expect(r).toMatchObject({
      status: 'verdict',
      verdict: 'answer2',
      rule: 'majority',
      votes: { answer1: 1, answer2: 2, tie: 0 },
      abstained: 0,
      agreement: { unanimous: false },
    });
    expect(r.agreement.share).toBeCloseTo(2 / 3, 12);
    expect(r.jurors.map((j) => [j.name, j.result.verdict])).toEqual([
      ['judge-a', 'answer2'],
      ['judge-b', 'answer2'],
      ['judge-c', 'answer1'],
    ]);
    expect(r.usage.inputTokens).toBe(300);
  });

  it('weighted votes, a split is a tie, and failures abstain', async () => {
    server = await startChatServer(panelReply);
    const w = await jury({
      jurors: [
        { model: model(server, 'judge-a'), weight: 1 },
        { model: model(server, 'judge-b'), weight: 1 },
        { model: model(server, 'judge-c'), weight: 3 },
      ],
      rule: 'weighted',
      question: Q,
      answers: [BAD, GOOD],
    });
    expect(w).toMatchObject({ verdict: 'answer1', votes: { answer1: 3, answer2: 2 } });
    const split = await jury({
      jurors: [model(server, 'judge-a'), model(server, 'judge-c'), model(server, 'judge-x')],
      question: Q,
      answers: [BAD, GOOD],
    });
    expect(split).toMatchObject({ status: 'verdict', verdict: 'tie', abstained: 1, agreement: { share: 0 } });
    const none = await jury({
      jurors: [model(server, 'judge-x'), model(server, 'judge-y')],
      question: Q,
      answers: [BAD, GOOD],
    });
    expect(none).toMatchObject({
      status: 'parse-failure',
      verdict: null,
      failure: { reason: 'no-juror-verdict' },
    });
  });

  it('mean-score averages the jurors score pairs (one model, two formats is a panel too)', async () => {
    server = await startChatServer(panelReply);
    const r = await jury({
      jurors: [model(server, 'judge-a'), model(server, 'judge-b'), model(server, 'judge-x')],
      format: 'judgelm/pair',
      rule: 'mean-score',
      question: Q,
      answers: [GOOD, BAD],
    });
    expect(r).toMatchObject({ status: 'verdict', verdict: 'answer1', scores: [8.5, 2.5], abstained: 1 });
    const formats = await jury({
      jurors: [
        { model: model(server, 'judge-a'), format: 'mtbench/pair-v2' },
        { model: model(server, 'judge-a'), format: 'judgelm/pair' },
      ],
      question: Q,
      answers: [GOOD, BAD],
    });
    expect(formats.jurors.map((j) => [j.name, j.result.format])).toEqual([
      ['judge-a (mtbench/pair-v2)', 'mtbench/pair-v2'],
      ['judge-a (judgelm/pair)', 'judgelm/pair'],
    ]);
    expect(formats.agreement).toEqual({ share: 1, unanimous: true });
    const noScores = await jury({
      jurors: [model(server, 'judge-a')],
      rule: 'mean-score',
      question: Q,
      answers: [GOOD, BAD],
    });
    expect(noScores).toMatchObject({ status: 'parse-failure', failure: { reason: 'no-juror-scores' } });
  });

  it('samples: one model sampled k times with seeds and temperature', async () => {
    server = await startChatServer(panelReply);
    const r = await jury({
      jurors: [model(server, 'judge-a')],
      samples: 3,
      question: Q,
      answers: [GOOD, BAD],
    });
    expect(r.jurors.map((j) => j.name)).toEqual(['judge-a#0', 'judge-a#1', 'judge-a#2']);
    expect(server.bodies.map((b) => [b.seed, b.temperature]).sort()).toEqual([
      [0, 0.7],
      [1, 0.7],
      [2, 0.7],
    ]);
  });

  it('every juror erroring is an error; Fleiss kappa over a batch (hand value 0.25)', async () => {
    server = await startChatServer((b) =>
      b.model === 'down' ? { status: 400, message: 'no' } : panelReply(b),
    );
    const down = await jury({
      jurors: [model(server, 'down'), model(server, 'down')],
      question: Q,
      answers: [GOOD, BAD],
    });
    expect(down).toMatchObject({ status: 'error', error: { code: 'model_call', status: 400 } });

    const panel = ['judge-a', 'judge-b', 'judge-c'].map((n) => model(server!, n));
    const results = await judgeMany(
      [
        { question: Q, answers: [GOOD, BAD] },
        { question: Q, answers: [BAD, GOOD] },
      ],
      { model: panel },
    );
    // item 1: A A A; item 2: B B A → P̄ = (1 + 1/3) / 2, Pe = (4/6)² + (2/6)² → κ = 0.25
    const agreement = juryAgreement(results);
    expect(agreement.fleissKappa).toBeCloseTo(0.25, 12);
    expect(agreement).toMatchObject({ items: 2, skipped: 0, jurors: 3 });
    expect(agreement.meanShare).toBeCloseTo((1 + 2 / 3) / 2, 12);
  });
});
