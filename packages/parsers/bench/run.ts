/**
 * `pnpm bench`: parses per second of each strict parser, beside the Python re-statement of the
 * same upstream parser (bench/upstream_parsers.py) timed in the same run on the same inputs.
 */
import { fileURLToPath } from 'node:url';
import { type BenchRow, printTable, runPythonPeer, timeIt } from '../../../scripts/bench-kit.ts';
import {
  parseJudgeLm,
  parseJudgeLrm,
  parseMtBenchPair,
  parseMtBenchSingle,
  parsePandaLm,
  parsePrometheusAbsolute,
  parsePrometheusRelative,
} from '../src/index.ts';

const PEER = fileURLToPath(new URL('./upstream_parsers.py', import.meta.url));

/** Realistic judge outputs (about 600 characters each, a mix of valid and malformed). */
function corpus(make: (i: number) => string, n = 2000): string[] {
  return Array.from({ length: n }, (_, i) => make(i));
}
const EXPL =
  "Assistant 1 gave a detailed and accurate answer that covers the key points of the question, with clear structure and correct facts. Assistant 2's answer is shorter and misses an important caveat, although what it says is correct. ".repeat(
    2,
  );
const s = (i: number) => (i * 7919) % 11;
const cases: Record<string, string[]> = {
  'judgelm-scores': corpus((i) =>
    i % 10 === 0 ? `${s(i)}, ${s(i + 1)}\n${EXPL}` : `${s(i)} ${s(i + 3)}\n${EXPL}`,
  ),
  'judgelrm-answer-tags': corpus(
    (i) =>
      ` ${EXPL}</think><answer>${s(i)}</answer><answer>${s(i + 5)}</answer>${i % 9 === 0 ? '' : '<|im_end|>'}`,
  ),
  'judgelrm-pandalm-inference': corpus(
    (i) => ` ${EXPL}</think><answer>${s(i)}</answer><answer>${s(i + 5)}</answer><|im_end|>`,
  ),
  pandalm: corpus((i) => `${['1', '2', 'Tie'][i % 3]}\n\n### Reason: ${EXPL}\n\n### Reference: An answer.\n`),
  'mtbench-pair': corpus((i) => `${EXPL}\n\nFinal verdict: ${['[[A]]', '[[B]]', '[[C]]', 'none'][i % 4]}`),
  'mtbench-single': corpus((i) => `${EXPL}\n\nRating: [[${1 + (i % 10)}]]`),
  'prometheus-absolute': corpus((i) => `${EXPL} [RESULT] ${1 + (i % 5)}`),
  'prometheus-relative': corpus((i) => `${EXPL} [RESULT] ${i % 2 ? 'A' : 'B'}`),
};

const ours: Record<string, (t: string) => unknown> = {
  'judgelm-scores': (t) => parseJudgeLm(t),
  'judgelrm-answer-tags': (t) => parseJudgeLrm(t),
  'judgelrm-pandalm-inference': (t) => parseJudgeLrm(t, { extraction: 'pandalm-inference' }),
  pandalm: (t) => parsePandaLm(t),
  'mtbench-pair': (t) => parseMtBenchPair(t),
  'mtbench-single': (t) => parseMtBenchSingle(t),
  'prometheus-absolute': (t) => parsePrometheusAbsolute(t),
  'prometheus-relative': (t) => parsePrometheusRelative(t),
};
const upstreamName: Record<string, string> = {
  'judgelm-scores': 'JudgeLM parse_score',
  'judgelrm-answer-tags': 'JudgeLRM extract_solution',
  'judgelrm-pandalm-inference': 'JudgeLRM judgelrm_inference',
  pandalm: 'PandaLM parse_pandalm_response',
  'mtbench-pair': 'FastChat run_judge_pair',
  'mtbench-single': 'FastChat run_judge_single',
  'prometheus-absolute': 'prometheus _parse_output_absolute',
  'prometheus-relative': 'prometheus _parse_output_relative',
};

const peer = runPythonPeer<Record<string, number>>(PEER, ['bench', '1.0'], JSON.stringify(cases));
const rows: BenchRow[] = [];
for (const [name, texts] of Object.entries(cases)) {
  const fn = ours[name]!;
  const t = timeIt(
    () => {
      for (const x of texts) fn(x);
    },
    { minSeconds: 1 },
  );
  // Lenient mode on the same inputs, for reference (no upstream peer does this work).
  rows.push({
    work: `${name} strict (${texts.length} outputs)`,
    ours: texts.length / t.secondsPerCall,
    peer: peer?.[name],
    unit: 'parses/s',
    peerName: `Python ${upstreamName[name]}`,
  });
}
const lenientRows: BenchRow[] = [];
for (const name of ['judgelm-scores', 'judgelrm-answer-tags', 'mtbench-pair']) {
  const texts = cases[name]!;
  const fn =
    name === 'judgelm-scores'
      ? (x: string) => parseJudgeLm(x, { mode: 'lenient' })
      : name === 'judgelrm-answer-tags'
        ? (x: string) => parseJudgeLrm(x, { mode: 'lenient' })
        : (x: string) => parseMtBenchPair(x, { mode: 'lenient' });
  const t = timeIt(
    () => {
      for (const x of texts) fn(x);
    },
    { minSeconds: 1 },
  );
  lenientRows.push({
    work: `${name} lenient`,
    ours: texts.length / t.secondsPerCall,
    peer: peer?.[name],
    unit: 'parses/s',
    peerName: `Python ${upstreamName[name]} (strict)`,
  });
}
printTable('@judgekit/parsers — strict parsers vs the Python upstream parser (same inputs, same run)', rows);
printTable(
  '@judgekit/parsers — lenient mode (more work than upstream) vs the Python upstream strict parser',
  lenientRows,
);
