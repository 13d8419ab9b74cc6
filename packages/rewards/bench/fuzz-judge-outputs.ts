/**
 * Fuzzing of every parser (both modes, directly and through the registry) and of the JudgeLRM
 * rewards with judge outputs generated and mutated from the real outputs in `fixtures/`
 * (JudgeLM parse golden texts, JudgeLRM reward golden sequences, PandaLM-7B and GPT-3.5 PandaLM
 * verdicts, GPT-4 Prometheus feedback): truncation, splices, tag soup, Unicode, huge numbers,
 * nested brackets, repetition and, in the large runs, strings up to 1 MB.
 *
 * The contract checked for every call: no exception; a `ParseResult` whose failure carries a
 * non-empty `reason` and `message`; a success whose numbers are finite, whose verdict is one of the
 * three, whose `best` indices are valid, and which lists no recovery step in strict mode; rewards
 * whose `total` is finite and inside the documented bounds. Used by `scripts/fuzz-parsers.ts`
 * (1M inputs, timings) and by `src/fuzz.test.ts` (100k inputs in CI).
 */
import { readFileSync } from 'node:fs';
import { createRng, type Rng } from '@judgekit/core';
import {
  extractJudgeLrmSolution,
  type JudgeTextInput,
  listParsers,
  parseJudgeLm,
  parseJudgeLmMulti,
  parseJudgeLmSingle,
  parseJudgeLrm,
  parseJudgeLrmSingle,
  parseMtBenchPair,
  parseMtBenchSingle,
  parsePandaLm,
  parsePrometheusAbsolute,
  parsePrometheusRelative,
  validateJudgeLrmStructure,
} from '@judgekit/parsers';
import {
  createJudgeLrmFormatReward,
  createJudgeLrmReward,
  handleOpenRlhfRequest,
  JUDGELRM_QWEN3_KK_CONFIG,
  type RewardFunction,
} from '../src/index.js';

const FIXTURES = new URL('../../../fixtures/', import.meta.url);

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8'));
}

/** Real judge outputs from the fixtures (each format represented). */
export function loadSeedOutputs(): string[] {
  const seeds: string[] = [];
  const judgelm = readJson('golden/judgelm-parse.json') as { cases: { text: string }[] };
  for (const c of judgelm.cases) seeds.push(c.text);
  const reward = readJson('golden/judgelrm-reward.json') as { cases: { solution_str: string }[] };
  for (const c of reward.cases) seeds.push(c.solution_str);
  const panda = readJson('data/pandalm/data/pandalm-7b-testset-v1.json') as {
    pandalm_result: number;
    pandalm_reason: string;
    pandalm_reference: string;
  }[];
  for (const r of panda.slice(0, 120)) {
    const verdict = r.pandalm_result === 0 ? 'Tie' : String(r.pandalm_result);
    seeds.push(`${verdict}\n\n### Reason: ${r.pandalm_reason}\n\n### Reference: ${r.pandalm_reference}`);
  }
  const gpt = readJson('data/pandalm/data/gpt-3.5-turbo-testset-v1.json') as {
    gpt_result: string;
    gpt_reason: string;
  }[];
  for (const r of gpt.slice(0, 60)) seeds.push(`${r.gpt_result}\n\n### Reason: ${r.gpt_reason}`);
  const prom = readJson('data/prometheus-eval/eval/benchmark/data/mt_bench_eval.json') as {
    gpt4_score: string;
    gpt4_feedback: string;
  }[];
  for (const r of prom.slice(0, 80)) {
    // Stored as Python list reprs: take the first feedback string and the first score.
    const f = String(r.gpt4_feedback)
      .replace(/^\[\s*["']/, '')
      .split(/["'],\s*["']/)[0]!
      .slice(0, 600);
    const s = Number(/\d/.exec(String(r.gpt4_score))?.[0] ?? 3);
    seeds.push(`Feedback: ${f} [RESULT] ${s}`);
    seeds.push(`${f}\n\nRating: [[${s * 2}]]`);
    seeds.push(`${f.slice(0, 300)} Therefore, [RESULT] ${s % 2 === 0 ? 'A' : 'B'}`);
    seeds.push(
      `${f.slice(0, 200)}\n\nMy final verdict is [[${s % 3 === 0 ? 'C' : s % 2 === 0 ? 'A' : 'B'}]].`,
    );
    seeds.push(`<think>${f.slice(0, 400)}</think><answer>${s * 2}</answer><answer>${10 - s}</answer>`);
    // Arena-Hard v0.1 verdict labels, LLMBar Vanilla and CoT answers (the formats' upstream shapes).
    const arena = ['A>>B', 'A>B', 'A=B', 'B>A', 'B>>A'][s % 5];
    seeds.push(`${f.slice(0, 400)}\n\nMy final verdict is: [[${arena}]]`);
    seeds.push(`Output (${s % 2 === 0 ? 'a' : 'b'})`);
    seeds.push(`${f.slice(0, 300)}\nTherefore, Output (${s % 2 === 0 ? 'b' : 'a'}) is better.`);
  }
  return seeds;
}

const TAGS = [
  '<think>',
  '</think>',
  '<answer>',
  '</answer>',
  '<Answer>',
  '</ANSWER>',
  '<|im_start|>assistant\n',
  '<|im_start|>assistant',
  '<|im_end|>',
  'Assistant:',
  '</s>',
  '<s>',
  '```',
  '```json\n',
  '[RESULT]',
  '[RESULT:',
  'Score:',
  'Result:',
  'score of',
  '[[A]]',
  '[[B]]',
  '[[C]]',
  '[[',
  ']]',
  '### Evaluation:',
  '### Reason:',
  '### Reference:',
  'Assistant 1:',
  'Assistant 2:',
  'Final verdict:',
  'Response A',
  'Response B',
  '{"score": 4}',
  '{"winner": "B"}',
  '{"scores": [8, 7]}',
  '/10',
  ' out of 10',
  '/5',
  '\n',
  '\r\n',
  ', ',
];
const NUMBERS = [
  '0',
  '8',
  '7',
  '10',
  '11',
  '-1',
  '+8',
  '08',
  '8.5',
  '.5',
  '5.',
  '1e1',
  '1e400',
  '-1e400',
  '7e308',
  'nan',
  'NaN',
  'inf',
  '-inf',
  'Infinity',
  '1_0',
  '٨',
  '𝟕',
  '８',
  '9'.repeat(309),
  '1'.repeat(4301),
  `${'9'.repeat(400)}.5`,
  '0'.repeat(40),
];
const UNICODE = [
  '\u00a0',
  '\u2028',
  '\u2029',
  '\u3000',
  '\ufeff',
  '\x1c',
  '\u0085',
  '\u200b',
  '\ud800',
  '\udfff',
  '😀',
  'İ',
  'ß',
  '\u0301',
  '\0',
  '\t',
  '\v',
  '\f',
];
const BRACKETS = ['[', ']', '{', '}', '(', ')', '"', '\\', '[[[[', ']]]]', '{{{{', '}}}}', '{"a": [', ']}'];

function pick<T>(rng: Rng, xs: readonly T[]): T {
  return xs[rng.nextInt(xs.length)]!;
}

function insertAt(s: string, at: number, piece: string): string {
  return s.slice(0, at) + piece + s.slice(at);
}

/** One random mutation of `s` (`seeds` for splices). */
function mutateOnce(rng: Rng, s: string, seeds: readonly string[]): string {
  const at = rng.nextInt(s.length + 1);
  switch (rng.nextInt(11)) {
    case 0: // truncation
      return rng.nextInt(2) === 0 ? s.slice(0, at) : s.slice(at);
    case 1: {
      // splice with another real output
      const other = pick(rng, seeds);
      const cut = rng.nextInt(other.length + 1);
      return s.slice(0, at) + other.slice(cut);
    }
    case 2: // tag soup
      return insertAt(s, at, pick(rng, TAGS));
    case 3: // unicode
      return insertAt(s, at, pick(rng, UNICODE));
    case 4: {
      // replace a digit run by another number (huge, non-finite, Unicode digits)
      const m = /\d+/.exec(s.slice(at));
      if (m === null) return insertAt(s, at, pick(rng, NUMBERS));
      const start = at + m.index;
      return s.slice(0, start) + pick(rng, NUMBERS) + s.slice(start + m[0].length);
    }
    case 5: // nested / unbalanced brackets
      return insertAt(s, at, pick(rng, BRACKETS).repeat(1 + rng.nextInt(8)));
    case 6: {
      // repeat a piece (a token or a slice of the text)
      const piece = rng.nextInt(2) === 0 ? pick(rng, TAGS) : s.slice(at, at + 1 + rng.nextInt(16));
      return insertAt(s, at, piece.repeat(2 + rng.nextInt(40)));
    }
    case 7: // runs of whitespace
      return insertAt(s, at, pick(rng, [' ', '\n', '\t', '\u3000']).repeat(1 + rng.nextInt(300)));
    case 8: {
      // delete a span
      const end = Math.min(s.length, at + rng.nextInt(64));
      return s.slice(0, at) + s.slice(end);
    }
    case 9: // a random code unit
      return insertAt(s, at, String.fromCharCode(rng.nextInt(0x10000)));
    default: // case flip of a span
      return s.slice(0, at) + s.slice(at, at + 32).toUpperCase() + s.slice(at + 32);
  }
}

/** A generated judge output (string, message object or a non-string value). */
export type FuzzInput = JudgeTextInput | null | undefined | number;

/** Options of {@link generateInput}. */
export interface GenerateOptions {
  /** Probability of a large input (64 KB – `maxLargeBytes`). */
  largeRate: number;
  /** Size cap of the large inputs. */
  maxLargeBytes: number;
}

/** Regression patterns: each builds an input of about `n` characters. */
export const REGRESSION_PATTERNS: readonly { name: string; make: (n: number) => string }[] = [
  { name: 'spaces then x (judgelm-multi answer count)', make: (n) => `${' '.repeat(n)}x` },
  { name: '"<think>" repeated, unclosed', make: (n) => '<think>'.repeat(Math.ceil(n / 7)) },
  { name: 'unclosed code fence repeated', make: (n) => '```\n'.repeat(Math.ceil(n / 4)) },
  { name: 'spaces inside <answer>', make: (n) => `<answer>${' '.repeat(n)}x</answer><answer>3</answer>` },
  { name: '"Score:" then spaces', make: (n) => `Score:${' '.repeat(n)}` },
  {
    name: '"<|im_start|>assistant\\n" + "<answer>" repeated',
    make: (n) => `<|im_start|>assistant\n${'<answer>'.repeat(Math.ceil(n / 8))}`,
  },
  { name: 'digit run inside [[ ]]', make: (n) => `[[${'1'.repeat(n)} ]]` },
  {
    name: '"Assistant 1" + spaces repeated',
    make: (n) => `Assistant 1${' '.repeat(100)}`.repeat(Math.ceil(n / 111)),
  },
  { name: 'nested brackets', make: (n) => '['.repeat(n >> 1) + '{'.repeat(n >> 1) },
  { name: 'newlines then x', make: (n) => `${'\n'.repeat(n)}x` },
  { name: '"verdict" then spaces', make: (n) => `Final verdict${' '.repeat(n)}x` },
];

/** Generate one input: a real output mutated 1–6 times, sometimes grown to a large string. */
export function generateInput(rng: Rng, seeds: readonly string[], options: GenerateOptions): FuzzInput {
  const kind = rng.nextFloat();
  if (kind < 0.002)
    return pick(rng, [null, undefined, 42, { text: null }, { text: undefined }] as FuzzInput[]);
  let s = pick(rng, seeds);
  const rounds = 1 + rng.nextInt(6);
  for (let i = 0; i < rounds; i++) s = mutateOnce(rng, s, seeds);
  if (rng.nextFloat() < options.largeRate) {
    const target = 65536 + rng.nextInt(Math.max(1, options.maxLargeBytes - 65536));
    if (rng.nextInt(2) === 0) {
      const p = pick(rng, REGRESSION_PATTERNS);
      s = rng.nextInt(2) === 0 ? p.make(target) : s + p.make(target);
    } else {
      const unit = s.length > 0 ? s : 'x';
      s = unit.repeat(Math.ceil(target / unit.length)).slice(0, target);
    }
  }
  if (kind < 0.08) return { text: s, reasoningContent: pick(rng, seeds) };
  if (kind < 0.1) return { text: '', reasoningContent: s };
  return s;
}

/** Counts of one fuzz run. */
export interface FuzzReport {
  inputs: number;
  calls: number;
  exceptions: { where: string; message: string; input: string }[];
  violations: { where: string; problem: string; input: string }[];
  /** `parser/mode` → outcome (`ok` or a failure reason) → count. */
  outcomes: Record<string, Record<string, number>>;
  /** Total milliseconds spent per target. */
  timeMs: Record<string, number>;
  /** Calls that took longer than `slowMs`. */
  slow: { where: string; ms: number; length: number }[];
}

const VERDICTS = new Set(['answer1', 'answer2', 'tie']);

function describeInput(input: FuzzInput): string {
  const s = typeof input === 'string' ? input : (JSON.stringify(input) ?? String(input));
  return s.length > 200 ? `${JSON.stringify(s.slice(0, 200))}… (${s.length} chars)` : JSON.stringify(s);
}

/** Contract problems of one ParseResult (empty when it holds). */
function checkParseResult(r: unknown, strict: boolean): string[] {
  const problems: string[] = [];
  if (r === null || typeof r !== 'object') return ['not an object'];
  const res = r as {
    ok?: unknown;
    raw?: unknown;
    reason?: unknown;
    message?: unknown;
    value?: unknown;
    recoveredBy?: unknown;
  };
  if (typeof res.raw !== 'string') problems.push('raw is not a string');
  if (res.ok === false) {
    if (typeof res.reason !== 'string' || res.reason === '') problems.push('failure without a reason');
    if (typeof res.message !== 'string' || res.message === '') problems.push('failure without a message');
    return problems;
  }
  if (res.ok !== true) return [...problems, 'ok is not a boolean'];
  if (!Array.isArray(res.recoveredBy)) problems.push('recoveredBy is not an array');
  else if (strict && res.recoveredBy.length > 0) problems.push('strict success lists recovery steps');
  const v = res.value as Record<string, unknown> | undefined;
  if (v === undefined || v === null || typeof v !== 'object') return [...problems, 'success without a value'];
  for (const key of ['score', 'rating']) {
    if (key in v && !Number.isFinite(v[key])) problems.push(`${key} is not finite: ${String(v[key])}`);
  }
  if ('verdict' in v && !VERDICTS.has(v.verdict as string)) problems.push(`bad verdict ${String(v.verdict)}`);
  if ('scores' in v && v.scores !== undefined) {
    const scores = v.scores as unknown[];
    if (!Array.isArray(scores) || scores.length < 2) problems.push('scores is not an array of ≥ 2');
    else if (!scores.every((x) => Number.isFinite(x)))
      problems.push(`scores not finite: ${scores.join(',')}`);
    if ('best' in v) {
      const best = v.best as number[];
      if (!Array.isArray(best) || best.length === 0) problems.push('empty best');
      else {
        const max = Math.max(...(scores as number[]));
        for (const i of best) if (scores[i] !== max) problems.push(`best ${i} is not a top score`);
      }
    }
  }
  return problems;
}

interface Target {
  where: string;
  strict: boolean;
  call: (input: FuzzInput) => unknown;
}

const asInput = (x: FuzzInput) => x as JudgeTextInput;

/** Every parser in both modes, directly and through the registry. */
function parserTargets(): Target[] {
  const direct: [string, (i: JudgeTextInput, mode: 'strict' | 'lenient') => unknown][] = [
    ['parseJudgeLm', (i, mode) => parseJudgeLm(i, { mode })],
    ['parseJudgeLmMulti(3)', (i, mode) => parseJudgeLmMulti(i, { mode, answerCount: 3 })],
    ['parseJudgeLmSingle', (i, mode) => parseJudgeLmSingle(i, { mode })],
    ['parseJudgeLrm(reward)', (i, mode) => parseJudgeLrm(i, { mode })],
    [
      'parseJudgeLrm(pandalm-inference)',
      (i, mode) => parseJudgeLrm(i, { mode, extraction: 'pandalm-inference' }),
    ],
    [
      'parseJudgeLrm(qwen3, full)',
      (i, mode) => parseJudgeLrm(i, { mode, extraction: 'pandalm-qwen3-inference', input: 'full-sequence' }),
    ],
    [
      'parseJudgeLrm(judgelm-benchmark)',
      (i, mode) => parseJudgeLrm(i, { mode, extraction: 'judgelm-benchmark' }),
    ],
    ['parseJudgeLrmSingle', (i, mode) => parseJudgeLrmSingle(i, { mode })],
    ['parsePandaLm(postprocess)', (i, mode) => parsePandaLm(i, { mode, postprocess: true })],
    [
      'parseMtBenchPair(scores)',
      (i, mode) => parseMtBenchPair(i, { mode, outputFormat: '[[rating_a,rating_b]]' }),
    ],
    ['parseMtBenchSingle', (i, mode) => parseMtBenchSingle(i, { mode })],
    ['parsePrometheusAbsolute', (i, mode) => parsePrometheusAbsolute(i, { mode })],
    [
      'parsePrometheusRelative(f2589f7)',
      (i, mode) => parsePrometheusRelative(i, { mode, relativeParser: 'f2589f7' }),
    ],
  ];
  const out: Target[] = [];
  for (const p of listParsers()) {
    for (const mode of ['strict', 'lenient'] as const) {
      out.push({
        where: `registry:${p.id}/${mode}`,
        strict: mode === 'strict',
        call: (i) => p.parse(asInput(i), { mode }),
      });
    }
  }
  for (const [name, f] of direct) {
    for (const mode of ['strict', 'lenient'] as const) {
      out.push({ where: `${name}/${mode}`, strict: mode === 'strict', call: (i) => f(asInput(i), mode) });
    }
  }
  return out;
}

const LABELS: unknown[] = [
  '8 6',
  '6 8',
  '7 7',
  [8, 6],
  [3.5, 9],
  ['5 9'],
  { solution_text_format: '2 9' },
  'x',
  '',
];

function rewardTargets(): { where: string; reward: RewardFunction }[] {
  return [
    { where: 'reward:judgelrm', reward: createJudgeLrmReward() },
    { where: 'reward:judgelrm-qwen3-kk', reward: createJudgeLrmReward({ base: JUDGELRM_QWEN3_KK_CONFIG }) },
    { where: 'reward:judgelrm-format', reward: createJudgeLrmFormatReward() },
  ];
}

/** Options of {@link runFuzz}. */
export interface FuzzOptions extends GenerateOptions {
  inputs: number;
  seed: number;
  /**
   * Run the direct parser calls (the extraction variants beyond the registry's defaults) on every
   * k-th input only; default 1 (all). The registry parsers and the rewards see every input.
   */
  directEvery?: number;
  /** Calls slower than this are listed in `slow` (the run never asserts times). */
  slowMs?: number;
  /** Progress callback every 10% of inputs. */
  onProgress?: (done: number) => void;
}

/** Run the fuzz: every input through every target; returns counts, exceptions and violations. */
export function runFuzz(options: FuzzOptions): FuzzReport {
  const rng = createRng(options.seed);
  const seeds = loadSeedOutputs();
  const parsers = parserTargets();
  const directEvery = Math.max(1, Math.floor(options.directEvery ?? 1));
  const rewards = rewardTargets();
  const slowMs = options.slowMs ?? 1000;
  const report: FuzzReport = {
    inputs: 0,
    calls: 0,
    exceptions: [],
    violations: [],
    outcomes: {},
    slow: [],
    timeMs: {},
  };
  const count = (where: string, outcome: string) => {
    const o = (report.outcomes[where] ??= {});
    o[outcome] = (o[outcome] ?? 0) + 1;
  };
  const timed = <T>(where: string, input: FuzzInput, f: () => T): T | undefined => {
    report.calls++;
    const t0 = performance.now();
    try {
      return f();
    } catch (e) {
      if (report.exceptions.length < 50)
        report.exceptions.push({
          where,
          message: String((e as Error)?.message ?? e).slice(0, 300),
          input: describeInput(input),
        });
      else report.exceptions.length++;
      return undefined;
    } finally {
      const ms = performance.now() - t0;
      report.timeMs[where] = (report.timeMs[where] ?? 0) + ms;
      if (ms > slowMs) {
        const len = typeof input === 'string' ? input.length : 0;
        report.slow.push({ where, ms, length: len });
      }
    }
  };
  const violate = (where: string, problem: string, input: FuzzInput) => {
    if (report.violations.length < 50)
      report.violations.push({ where, problem, input: describeInput(input) });
    else report.violations.length++;
  };
  const tick = Math.max(1, Math.floor(options.inputs / 10));
  const batch: string[] = [];
  for (let k = 0; k < options.inputs; k++) {
    const input = generateInput(rng, seeds, options);
    report.inputs++;
    for (const t of parsers) {
      if (k % directEvery !== 0 && !t.where.startsWith('registry:')) continue;
      const r = timed(t.where, input, () => t.call(input));
      if (r === undefined) continue;
      const problems = checkParseResult(r, t.strict);
      for (const p of problems) violate(t.where, p, input);
      const res = r as { ok: boolean; reason?: string };
      count(t.where, res.ok ? 'ok' : `fail:${res.reason}`);
    }
    const text = typeof input === 'string' ? input : '';
    const sol = timed('extractJudgeLrmSolution', input, () => extractJudgeLrmSolution(text));
    if (sol !== undefined) {
      count('extractJudgeLrmSolution', sol.scores === null ? `fail:${sol.reason}` : 'ok');
      if (sol.scores !== null && !sol.scores.every((x) => Number.isFinite(x) && x >= 0 && x <= 10))
        violate('extractJudgeLrmSolution', `scores ${sol.scores.join(',')}`, input);
      const st = timed('validateJudgeLrmStructure', input, () => validateJudgeLrmStructure(sol.processed));
      if (st !== undefined) count('validateJudgeLrmStructure', String(st.score));
    }
    const label = LABELS[k % LABELS.length];
    for (const { where, reward } of rewards) {
      const r = timed(where, input, () => reward.score({ sequence: text, groundTruth: label }));
      if (r === undefined) continue;
      if (!Number.isFinite(r.total) || r.total < reward.bounds.min || r.total > reward.bounds.max)
        violate(where, `total ${r.total} outside [${reward.bounds.min}, ${reward.bounds.max}]`, input);
      count(where, String(r.total));
    }
    batch.push(text);
    if (batch.length === 16) {
      const body = { query: batch.splice(0), prompts: null, labels: new Array(16).fill('8 6') };
      const r = timed('handleOpenRlhfRequest', input, () => handleOpenRlhfRequest(rewards[0]!.reward, body));
      if (r !== undefined) {
        count('handleOpenRlhfRequest', r.ok ? 'ok' : `status:${r.status}`);
        if (r.ok && r.response.rewards.length !== 16)
          violate('handleOpenRlhfRequest', 'wrong reward count', input);
      }
    }
    if (options.onProgress && (k + 1) % tick === 0) options.onProgress(k + 1);
  }
  return report;
}

/** Time of the slowest parser / reward on one regression input (milliseconds). */
export function worstTimeOn(input: string): { ms: number; where: string } {
  let worst = { ms: 0, where: '' };
  const targets: { where: string; call: () => unknown }[] = parserTargets().map((t) => ({
    where: t.where,
    call: () => t.call(input),
  }));
  for (const { where, reward } of rewardTargets()) {
    targets.push({ where, call: () => reward.score({ sequence: input, groundTruth: '8 6' }) });
  }
  targets.push({ where: 'extractJudgeLrmSolution', call: () => extractJudgeLrmSolution(input) });
  for (const t of targets) {
    const t0 = performance.now();
    try {
      t.call();
    } catch {
      // counted by the fuzz run itself
    }
    const ms = performance.now() - t0;
    if (ms > worst.ms) worst = { ms, where: t.where };
  }
  return worst;
}
