/**
 * Differential test: the strict parsers against the Python re-statement of each upstream parser
 * (bench/upstream_parsers.py), on random strings built from the tokens that matter to them
 * (separators, Unicode digits and spaces, tags, markers). Skipped where python3 is absent, except
 * under CI or JUDGEKIT_REQUIRE_PYTHON, where that fails.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJudgeLmUpstream } from './judgelm-parser.js';
import { judgeLrmQwen3PandaLmLabel, parseJudgeLrm, parseJudgeLrmUpstreamLabel } from './judgelrm-parser.js';
import { parseMtBenchPairUpstream, parseMtBenchSingle } from './mt-bench-parser.js';
import { parsePandaLmUpstream } from './pandalm-parser.js';
import { parsePrometheusAbsolute, parsePrometheusRelative } from './prometheus-parser.js';

const PEER = fileURLToPath(new URL('../bench/upstream_parsers.py', import.meta.url));
const hasPython = spawnSync('python3', ['--version']).status === 0;
// Skipping is allowed only where nobody requires the comparison: under CI (which installs python3,
// scripts/install-python-deps.sh) or with JUDGEKIT_REQUIRE_PYTHON=1, a missing python3 fails.
if (!hasPython && (process.env.CI || process.env.JUDGEKIT_REQUIRE_PYTHON)) {
  throw new Error(
    'python3 is required for the upstream differential test (CI or JUDGEKIT_REQUIRE_PYTHON is set); run scripts/install-python-deps.sh',
  );
}

/** The JudgeLRM inference prompt's shape (tags and the `<answer>3</answer><answer>5</answer>` example). */
const QWEN3_PROMPT =
  '<|im_start|>system\nYou are a helpful assistant. The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively, i.e., <think> detailed reasoning process here </think><answer> answer here </answer>. … for example,<answer>3</answer><answer>5</answer>\n<|im_end|>\n<|im_start|>user\n[Question]\nq\n<|im_end|>\n<|im_start|>assistant\n<think>';
const VERDICT_CODE = { answer1: 1, answer2: 2, tie: 0 } as const;

const TOKENS = [
  '8',
  '7',
  '10',
  '0',
  '08',
  '1',
  '2',
  '5',
  '11',
  '-1',
  '+',
  '.',
  'e',
  '_',
  ' ',
  '  ',
  ',',
  '\n',
  '\r',
  '\t',
  '\u00a0',
  '\u2028',
  '\x1c',
  '\u3000',
  '\ufeff',
  '٨',
  '𝟕',
  'inf',
  'nan',
  'x',
  'tie',
  'Tie',
  'TIE',
  '[[',
  ']]',
  '[',
  ']',
  '(',
  ')',
  'A',
  'B',
  'C',
  'a',
  '[[A]]',
  '[[B]]',
  '[[C]]',
  '<answer>',
  '</answer>',
  '<think>',
  '</think>',
  'Assistant:',
  '<|im_start|>assistant',
  '<|im_end|>',
  '</s>',
  '[RESULT]',
  '[RESULT:',
  'Score:',
  'score of',
  'Result:',
  '[Result]',
  'Response',
  '[Response ',
  'out of 5',
  '/5',
  '/',
  'Response A',
];

/** Focused pools, so that each parser's success paths are exercised too. */
const NUMS = [
  '8',
  '7',
  '10',
  '0',
  '08',
  '+8',
  '-1',
  '1e1',
  '.5',
  '5.',
  '٨',
  '𝟕',
  '1_0',
  '11',
  '3',
  'inf',
  'x',
];
const POOLS: string[][] = [
  [...NUMS, ' ', ',', ', ', '  ', '\t', '\u00a0', '\n', '\r', '\u2028', ' Assistant 1'],
  [
    ...NUMS,
    '<answer>',
    '</answer>',
    '<think>',
    '</think>',
    ' ',
    '\n',
    '\u3000',
    '<|im_start|>assistant',
    'Assistant:',
    '</s>',
    '<|im_end|>',
  ],
  ['1', '2', '0', 'tie', 'Tie', 'TIE', 't', ' ', '\n', '\u00a0', '\x1c', '.', '### Reason: x'],
  [...NUMS, '[[', ']]', '[', ']', ',', ', ', '[[A]]', '[[B]]', '[[C]]', 'A', ' '],
  [
    ...NUMS,
    '[RESULT]',
    '[SCORE]',
    'Score:',
    'score of',
    'Result:',
    '[Result]',
    '[RESULT:',
    '[Response ',
    ' ',
    '\n',
    '(',
    ')',
    '/5',
    ' out of 5',
    'A',
    'B',
    'b',
    ']',
    '\u2028',
    'Response',
    '\r',
  ],
];

const pick = (xs: string[]) => fc.constantFrom(...xs);
const WS = pick(['', ' ', '  ', '\n', '\t', '\u00a0', '\u3000', '\x1c', '\u2028']);
const NOISE = pick([
  '',
  'ok',
  ' x ',
  '\n',
  'Assistant:',
  '<think>',
  '</think>',
  '<answer>',
  '[RESULT]',
  ' Response A',
  '[[A]]',
]);
const NUM = pick(NUMS);
const cat = (...parts: fc.Arbitrary<string>[]) => fc.tuple(...parts).map((a) => a.join(''));
/** Near-miss templates of each upstream format (success and failure both likely). */
const TEMPLATES = [
  cat(
    NUM,
    pick([' ', ',', ', ', '  ', '\t', '\u00a0']),
    NUM,
    pick(['', '\nwhy', ' ', '\r', '\r\nx', '\u2028']),
  ),
  cat(
    NOISE,
    pick(['</think>', '']),
    WS,
    pick(['<answer>', '<Answer>']),
    WS,
    NUM,
    WS,
    pick(['</answer>', '']),
    NOISE,
    pick(['<answer>']),
    WS,
    NUM,
    WS,
    pick(['</answer>', '</answer><|im_end|>']),
    NOISE,
  ),
  cat(NOISE, WS, pick(['[[', '[', '[[ ']), NUM, pick([']]', ']', ', 7]]', ',8]', '.5]]']), NOISE),
  cat(
    NOISE,
    pick(['[RESULT]', '[SCORE]', 'Score:', 'score', 'score of', 'Result:', '[Result]:', 'RESULT']),
    WS,
    pick(['', '(', '[', '( ']),
    NUM,
    pick(['', ')', ']', '/5', '/ 5', ' out of 5', 'out of 5', '/10', 'x']),
    NOISE,
  ),
  cat(
    NOISE,
    pick([
      '[RESULT]',
      '[RESULT:',
      '[Response ',
      '[Result] Response',
      '\nResult:',
      'Result ',
      'result:',
      '\rResult:',
    ]),
    WS,
    pick(['A', 'B', 'a', 'b', 'C']),
    pick(['', ']', ' ', '\n', '.', 'x']),
    NOISE,
  ),
  cat(
    WS,
    pick(['1', '2', 'Tie', 'tie', 'TIE', 'Tie.', '0', '1 ']),
    pick(['', '\n', '\n\n### Reason: x', '\r\n']),
    WS,
  ),
];

const textArb = fc.array(fc.constantFrom(...TOKENS), { maxLength: 14 }).map((a) => a.join(''));

function runPeer(cases: Record<string, string[]>): Record<string, unknown[]> {
  const res = spawnSync('python3', [PEER, 'eval'], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as Record<string, unknown[]>;
}

const pyNum = (x: number): unknown =>
  Number.isNaN(x) ? 'nan' : x === Infinity ? 'inf' : x === -Infinity ? '-inf' : x;

describe.skipIf(!hasPython)(
  `strict parsers agree with the Python upstream re-statement${hasPython ? '' : ' (skipped: python3 not found)'}`,
  () => {
    const texts = [
      ...fc.sample(textArb, { numRuns: 1500, seed: 20250101 }),
      ...TEMPLATES.flatMap((arb, k) => fc.sample(arb, { numRuns: 1500, seed: 100 + k })),
      ...POOLS.flatMap((pool, k) =>
        fc.sample(
          fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 7 }).map((a) => a.join('')),
          {
            numRuns: 1500,
            seed: 7 + k,
          },
        ),
      ),
    ];
    const fixed = [
      '8 7',
      '8, 7',
      '١٠ ٨',
      '8\u00a07',
      '1_0 5',
      '8 7\u2028',
      'Tie\n',
      ' tie ',
      '\x1c1\n',
      '[[08]]',
      '[[8]]',
      '[8.5]',
      '</think><answer>3</answer><answer>9</answer><answer>5</answer>',
      ' <answer>1</answer><answer>2</answer></think><answer>8</answer><answer>4</answer><|im_end|>',
      'x</think><answer>7</answer>',
      '<answer>٨</answer><answer> 4</answer><answer>9\n</answer>',
      '</think><answer>8.5</answer><answer>2</answer><answer>6</answer>',
      '<answer>5</answer><|im_start|>assistant<answer>1</answer><answer>4</answer><answer>2</answer>',
    ];
    const all = [...fixed, ...texts];
    const peer = hasPython
      ? runPeer({
          'judgelm-scores': all,
          'judgelrm-answer-tags': all,
          'judgelrm-pandalm-inference': all,
          'judgelrm-qwen3-inference': all,
          'judgelrm-qwen3-inference-full': all.map((t) => QWEN3_PROMPT + t),
          pandalm: all,
          'mtbench-pair': all,
          'mtbench-single': all,
          'prometheus-absolute': all,
          'prometheus-relative': all,
        })
      : {};

    /** Guard against a vacuous comparison: enough inputs must parse upstream. */
    const successes = (name: string, isFailure: (v: unknown) => boolean) =>
      peer[name]!.filter((v) => !isFailure(v)).length;
    it('exercises success paths of every parser', () => {
      const counts = {
        judgelm: successes('judgelm-scores', (v) => JSON.stringify(v) === '[[-1,-1],0]'),
        reward: successes('judgelrm-answer-tags', (v) => v === null),
        inference: successes('judgelrm-pandalm-inference', (v) => v === 0),
        qwen3: successes('judgelrm-qwen3-inference', (v) => v === 0),
        pandalm: successes('pandalm', (v) => v === 0),
        pair: successes('mtbench-pair', (v) => v === 'error'),
        single: successes('mtbench-single', (v) => v === -1 || v === 'raise'),
        absolute: successes('prometheus-absolute', (v) => v === null),
        relative: successes('prometheus-relative', (v) => v === null),
      };
      for (const [name, n] of Object.entries(counts)) expect(n, name).toBeGreaterThan(25);
    });
    it('judgelm parse_score + win list', () => {
      all.forEach((t, i) => {
        const up = parseJudgeLmUpstream(t);
        expect([up.scores.map(pyNum), up.verdictCode], JSON.stringify(t)).toEqual(peer['judgelm-scores']![i]);
      });
    });
    it('judgelrm extract_solution (reward)', () => {
      all.forEach((t, i) => {
        const r = parseJudgeLrm(t, { mode: 'strict', extraction: 'reward' });
        expect(r.ok ? [...r.value.scores] : null, JSON.stringify(t)).toEqual(
          peer['judgelrm-answer-tags']![i],
        );
      });
    });
    it('judgelrm PandaLM-test inference label', () => {
      all.forEach((t, i) => {
        expect(parseJudgeLrmUpstreamLabel(t), JSON.stringify(t)).toBe(peer['judgelrm-pandalm-inference']![i]);
      });
    });
    it('judgelrm Qwen3 PandaLM-test inference label (last two answers)', () => {
      let agreedSuccesses = 0;
      all.forEach((t, i) => {
        expect(parseJudgeLrmUpstreamLabel(t, { inference: 'qwen3' }), JSON.stringify(t)).toBe(
          peer['judgelrm-qwen3-inference']![i],
        );
        const full = QWEN3_PROMPT + t;
        expect(judgeLrmQwen3PandaLmLabel(full).label, JSON.stringify(full)).toBe(
          peer['judgelrm-qwen3-inference-full']![i],
        );
        // Where strict mode succeeds, its verdict is upstream's label.
        const r = parseJudgeLrm(t, { extraction: 'pandalm-qwen3-inference' });
        if (r.ok) {
          agreedSuccesses++;
          expect(VERDICT_CODE[r.value.verdict], JSON.stringify(t)).toBe(peer['judgelrm-qwen3-inference']![i]);
        }
      });
      expect(agreedSuccesses).toBeGreaterThan(25);
    });
    it('pandalm parse_pandalm_response', () => {
      all.forEach((t, i) => {
        expect(parsePandaLmUpstream(t).label, JSON.stringify(t)).toBe(peer.pandalm![i]);
      });
    });
    it('mt-bench pair and single', () => {
      all.forEach((t, i) => {
        expect(parseMtBenchPairUpstream(t).winner, JSON.stringify(t)).toBe(peer['mtbench-pair']![i]);
        const s = parseMtBenchSingle(t);
        const v = s.ok ? s.value.rating : s.reason === 'upstream-exception' ? 'raise' : -1;
        expect(v, JSON.stringify(t)).toEqual(peer['mtbench-single']![i]);
      });
    });
    it('prometheus absolute and relative', () => {
      all.forEach((t, i) => {
        const a = parsePrometheusAbsolute(t);
        expect(a.ok ? a.value.score : null, JSON.stringify(t)).toBe(peer['prometheus-absolute']![i]);
        const r = parsePrometheusRelative(t);
        expect(r.ok ? (r.value.verdict === 'answer1' ? 'A' : 'B') : null, JSON.stringify(t)).toBe(
          peer['prometheus-relative']![i],
        );
      });
    });
  },
);
