import { describe, expect, it } from 'vitest';
import {
  parseJudgeLm,
  parseJudgeLmMulti,
  parseJudgeLmSingle,
  parseJudgeLmUpstream,
} from './judgelm-parser.js';
import {
  extractJudgeLrmSolution,
  judgeLrmBenchmarkPredText,
  judgeLrmPandaLmLabel,
  parseJudgeLrm,
  parseJudgeLrmSingle,
  validateJudgeLrmStructure,
} from './judgelrm-parser.js';
import { parseMtBenchPair, parseMtBenchPairUpstream, parseMtBenchSingle } from './mt-bench-parser.js';
import { parsePandaLm, parsePandaLmUpstream } from './pandalm-parser.js';
import { getParser } from './parser-registry.js';
import { parsePrometheusAbsolute, parsePrometheusRelative } from './prometheus-parser.js';

const L = { mode: 'lenient' } as const;

describe('JudgeLM', () => {
  it.each([
    ['8, 7', [8, 7], ['normalized-separators']],
    ['Assistant 1: 8/10\nAssistant 2: 7/10\nBoth are fine.', [8, 7], ['labelled-scores']],
    ['```json\n{"score1": 8, "score2": 7}\n```', [8, 7], ['code-fence', 'json']],
    ['<think>Let me compare. 3 4 5</think>\n8 7\nreason', [8, 7], ['stripped-think']],
    ['**Scores:** 9 6\nAssistant 1 ...', [9, 6], ['normalized-separators']],
    ['Here is my evaluation.\n\n8 7\nreason', [8, 7], ['scores-line-search']],
    ['[8, 7]', [8, 7], ['normalized-separators']],
  ])('lenient %j', (text, scores, steps) => {
    const r = parseJudgeLm(text, L);
    expect(r.ok && r.value.scores).toEqual(scores);
    expect(r.ok && r.recoveredBy).toEqual(steps);
  });
  it('strict rejects what lenient recovers, and reports the reason and raw text', () => {
    const r = parseJudgeLm('8, 7');
    expect(r).toMatchObject({ ok: false, reason: 'wrong-token-count', raw: '8, 7' });
    expect(parseJudgeLm('eight seven')).toMatchObject({ ok: false, reason: 'invalid-number' });
    expect(parseJudgeLm('')).toMatchObject({ ok: false, reason: 'empty-output' });
    expect(parseJudgeLm('no scores here at all', L)).toMatchObject({ ok: false, reason: 'no-scores-found' });
  });
  it('upstream helper gives [-1, -1] and a tie on failure', () => {
    expect(parseJudgeLmUpstream('8  7')).toMatchObject({
      scores: [-1, -1],
      verdictCode: 0,
      result: { ok: false },
    });
  });
  it('reads reasoning_content when content is empty', () => {
    const r = parseJudgeLm({ text: '', reasoningContent: 'thinking...\n9 4' }, L);
    expect(r.ok && r.value.verdict).toBe('answer1');
    expect(r.ok && r.recoveredBy).toEqual(['reasoning-content', 'scores-line-search']);
    expect(parseJudgeLm({ text: '', reasoningContent: '9 4' })).toMatchObject({
      ok: false,
      reason: 'empty-output',
    });
  });
  it('multi-answer and single-answer', () => {
    expect(parseJudgeLmMulti('7 9 9 2\nwhy', { answerCount: 4 })).toMatchObject({
      ok: true,
      value: { scores: [7, 9, 9, 2], best: [1, 2] },
    });
    expect(parseJudgeLmMulti('7 9 2', { answerCount: 4 })).toMatchObject({
      ok: false,
      reason: 'wrong-token-count',
    });
    expect(parseJudgeLmSingle(' 7\nThe answer is close.')).toMatchObject({ ok: true, value: { score: 7 } });
    expect(parseJudgeLmSingle('7\nwhy')).toMatchObject({ ok: false });
    expect(parseJudgeLmSingle('7\nwhy', L)).toMatchObject({ ok: true, value: { score: 7 } });
  });
});

describe('JudgeLRM', () => {
  const completion = ' A1 is right.</think><answer>8</answer><answer>4</answer><|im_end|>';
  it('strict extractions', () => {
    expect(parseJudgeLrm(completion)).toMatchObject({
      ok: true,
      value: { scores: [8, 4], verdict: 'answer1' },
    });
    expect(parseJudgeLrm(completion, { extraction: 'pandalm-inference' })).toMatchObject({
      ok: true,
      value: { scores: [8, 4] },
    });
    expect(parseJudgeLrm(completion, { extraction: 'judgelm-benchmark' })).toMatchObject({
      ok: true,
      value: { scores: [8, 4] },
    });
    // The extractions disagree on decimals and range:
    const dec = ' x</think><answer>8.5</answer><answer>4</answer>';
    expect(parseJudgeLrm(dec)).toMatchObject({ ok: false, reason: 'invalid-answer-number' });
    expect(parseJudgeLrm(dec, { extraction: 'judgelm-benchmark' })).toMatchObject({
      ok: true,
      value: { scores: [8.5, 4] },
    });
    expect(parseJudgeLrm(dec, { extraction: 'pandalm-inference' })).toMatchObject({
      ok: false,
      reason: 'too-few-answer-tags',
    });
    const big = ' x</think><answer>11</answer><answer>4</answer>';
    expect(parseJudgeLrm(big)).toMatchObject({ ok: false, reason: 'score-out-of-range' });
    expect(parseJudgeLrm(big, { extraction: 'pandalm-inference' })).toMatchObject({
      ok: true,
      value: { scores: [11, 4] },
    });
    expect(parseJudgeLrm('<answer>8</answer><answer>4</answer>', { input: 'full-sequence' })).toMatchObject({
      ok: false,
      reason: 'missing-response-header',
    });
    expect(
      parseJudgeLrm('no think close <answer>8</answer><answer>4</answer>', {
        extraction: 'pandalm-inference',
      }),
    ).toMatchObject({
      ok: false,
      reason: 'missing-think-close',
    });
  });
  it('upstream raw helpers', () => {
    expect(
      extractJudgeLrmSolution('<|im_start|>assistant\n<think>x</think><answer>8</answer><answer>4</answer>')
        .scores,
    ).toEqual([8, 4]);
    expect(validateJudgeLrmStructure('\n<think>x</think><answer>8</answer><answer>4</answer>')).toEqual({
      score: 1,
    });
    expect(validateJudgeLrmStructure('\n<think>x</think><answer>8.5</answer><answer>4</answer>').score).toBe(
      -0.5,
    );
    expect(judgeLrmPandaLmLabel('<|im_start|>assistant\n<think>x</think><answer>3</answer>')).toMatchObject({
      label: 0,
      reason: 'too-few-answer-tags',
    });
    expect(judgeLrmBenchmarkPredText('<answer>7</answer>')).toBe('-1 -1');
  });
  it.each([
    ['<think>hmm <answer>1</answer></think><answer>8</answer><answer>6</answer>', [8, 6], ['stripped-think']],
    ['</think><Answer>8/10</Answer><Answer>**6**</Answer>', [8, 6], ['stripped-think', 'answer-tag-variant']],
    ['x</think><answer>8, 6</answer>', [8, 6], ['stripped-think', 'single-tag-two-scores']],
    ['x</think><answer>8</answer><answer>6', [8, 6], ['stripped-think', 'unclosed-answer-tag']],
    [
      'x</think>For example <answer>3</answer><answer>5</answer>. Final: <answer>9</answer><answer>2</answer>',
      [9, 2],
      ['stripped-think', 'last-two-answer-tags'],
    ],
    ['<think>I conclude <answer>7</answer><answer>3</answer></think>', [7, 3], ['answers-inside-think']],
    ['Assistant 1: 8/10, Assistant 2: 5/10', [8, 5], ['no-answer-tags', 'labelled-scores']],
  ])('lenient %j', (text, scores, steps) => {
    const r = parseJudgeLrm(text, L);
    expect(r.ok && r.value.scores).toEqual(scores);
    expect(r.ok && r.recoveredBy).toEqual(steps);
  });
  it('lenient keeps the [0, 10] range and reasoning_content fallback', () => {
    expect(parseJudgeLrm('<answer>12</answer><answer>3</answer>', L)).toMatchObject({
      ok: false,
      reason: 'score-out-of-range',
    });
    const r = parseJudgeLrm(
      { text: null, reasoningContent: 'long thought <answer>4</answer><answer>9</answer>' },
      L,
    );
    expect(r.ok && r.value.verdict).toBe('answer2');
    expect(r.ok && r.recoveredBy[0]).toBe('reasoning-content');
  });
  it('single', () => {
    expect(parseJudgeLrmSingle('x</think><answer>3</answer> then <answer>7.5</answer>')).toMatchObject({
      ok: true,
      value: { score: 7.5 },
    });
    expect(parseJudgeLrmSingle('x</think>no tag')).toMatchObject({
      ok: false,
      reason: 'too-few-answer-tags',
    });
    expect(parseJudgeLrmSingle('x</think>Score: 6', L)).toMatchObject({ ok: true, value: { score: 6 } });
  });
});

describe('PandaLM', () => {
  it('strict copies parse_pandalm_response; the upstream helper maps failures to 0', () => {
    expect(parsePandaLm('2\n\n### Reason: better\n\n### Reference: r\n')).toMatchObject({
      ok: true,
      value: { verdict: 'answer2', reason: 'better', reference: 'r' },
    });
    expect(parsePandaLm('  TIE\nx')).toMatchObject({ ok: true, value: { verdict: 'tie' } });
    expect(parsePandaLm('Response 1')).toMatchObject({ ok: false, reason: 'unrecognized-verdict' });
    expect(parsePandaLmUpstream('Response 1').label).toBe(0);
    expect(parsePandaLmUpstream('1').label).toBe(1);
    expect(parsePandaLm('prompt ### Evaluation:\n2\n</s>', { postprocess: true })).toMatchObject({
      ok: true,
      value: { verdict: 'answer2' },
    });
  });
  it.each([
    ['**1**\n\n### Reason: x', 'answer1', ['verdict-line-variant']],
    ['Response 2 is better.', 'answer2', ['verdict-line-variant']],
    ['Tie.', 'tie', ['verdict-line-variant']],
    ['{"winner": 2}', 'answer2', ['json']],
    ['prompt text\n### Evaluation:\n1\n\n### Reason: y', 'answer1', ['after-evaluation-marker']],
    ['<think>1 or 2?</think>\n2', 'answer2', ['stripped-think']],
  ])('lenient %j', (text, verdict, steps) => {
    const r = parsePandaLm(text, L);
    expect(r.ok && r.value.verdict).toBe(verdict);
    expect(r.ok && r.recoveredBy).toEqual(steps);
  });
});

describe('MT-Bench', () => {
  it('strict tests [[A]] before [[B]] regardless of position; lenient takes the last marker', () => {
    const text = 'Output "[[A]]" if assistant A is better... My final verdict: [[B]]';
    expect(parseMtBenchPairUpstream(text).winner).toBe('A');
    const r = parseMtBenchPair(text, L);
    expect(r.ok && r.value.verdict).toBe('answer2');
    expect(r.ok && r.recoveredBy).toEqual(['last-verdict-marker']);
    expect(parseMtBenchPair('Final verdict: [[Tie]]', L)).toMatchObject({
      ok: true,
      value: { verdict: 'tie' },
    });
    expect(parseMtBenchPair('no verdict')).toMatchObject({ ok: false, reason: 'no-verdict-marker' });
  });
  it('scores format with FastChat TIE_DELTA', () => {
    expect(parseMtBenchPair('[[8.05, 8]]', { outputFormat: '[[rating_a,rating_b]]' })).toMatchObject({
      ok: true,
      value: { verdict: 'tie' },
    });
    expect(parseMtBenchPair('[7,9]', { outputFormat: '[[rating_a,rating_b]]' })).toMatchObject({
      ok: true,
      value: { verdict: 'answer2' },
    });
  });
  it('single: first [[x]] strictly, literal_eval failures are typed', () => {
    expect(parseMtBenchSingle('Rating: [[7]] ... [[9]]')).toMatchObject({ ok: true, value: { rating: 7 } });
    expect(parseMtBenchSingle('Rating: [[08]]')).toMatchObject({ ok: false, reason: 'upstream-exception' });
    expect(parseMtBenchSingle('Rating: 8/10', L)).toMatchObject({
      ok: true,
      value: { rating: 8 },
      recoveredBy: ['verdict-phrase'],
    });
  });
});

describe('Prometheus', () => {
  it('absolute: first match decides strictly', () => {
    expect(parsePrometheusAbsolute('Good work. [RESULT] 4')).toMatchObject({
      ok: true,
      value: { score: 4, feedback: 'Good work.' },
    });
    expect(parsePrometheusAbsolute('Score: 7 ... [RESULT] 4')).toMatchObject({
      ok: false,
      reason: 'score-out-of-range',
    });
    expect(parsePrometheusAbsolute('**[RESULT]** 3')).toMatchObject({
      ok: false,
      reason: 'no-result-marker',
    });
    expect(parsePrometheusAbsolute('**[RESULT]** 3', L)).toMatchObject({
      ok: true,
      value: { score: 3 },
      recoveredBy: ['result-marker-variant'],
    });
  });
  it('relative: two upstream versions', () => {
    const t = 'I would choose B here';
    expect(parsePrometheusRelative(t)).toMatchObject({ ok: false });
    expect(parsePrometheusRelative(t, { relativeParser: 'f2589f7' })).toMatchObject({
      ok: true,
      value: { verdict: 'answer2' },
    });
    expect(parsePrometheusRelative('Feedback.\nResult: A')).toMatchObject({
      ok: true,
      value: { verdict: 'answer1' },
    });
    expect(parsePrometheusRelative('**[RESULT]**: (B)', L)).toMatchObject({
      ok: true,
      value: { verdict: 'answer2' },
    });
  });
});

describe('registry', () => {
  it('has a parser for every id and none for unknown ids', () => {
    expect(getParser('pandalm').kind).toBe('pairwise');
    expect(getParser('judgelm-multi-scores').parse('1 2 3')).toMatchObject({
      ok: true,
      value: { scores: [1, 2, 3], best: [2] },
    });
    expect(getParser('nope')).toBeUndefined();
  });
});
