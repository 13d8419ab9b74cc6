/**
 * JSONL throughput: `parseJsonl` alone and `parseJudgeLmSamples` (parse + schema validation) on
 * synthetic JudgeLM-100K-shaped lines, beside Python's `json.loads` per line on the same text.
 */
import { fileURLToPath } from 'node:url';
import { parseJsonl, parseJudgeLmSamples } from '../src/index.ts';
import { printTable, runPythonPeer, timeIt } from '../../../scripts/bench-kit.ts';

const N = 20_000;
const lines: string[] = [];
for (let i = 0; i < N; i++) {
  lines.push(
    JSON.stringify({
      review_id: `r${i}`,
      question_id: i,
      question_body: `Question ${i}: explain why the sky is blue in a few sentences.`,
      answer1_body: 'Rayleigh scattering of sunlight by air molecules favours short wavelengths. '.repeat(4),
      answer2_body: 'Because the sky reflects the ocean, which is blue. '.repeat(3),
      answer1_model_id: 'mpt-7b',
      answer2_model_id: 'flan-t5-xxl',
      text:
        i % 500 === 0 ? 'error' : "8 3\nAssistant 1's answer is accurate; Assistant 2's is a misconception.",
      score: [8.0, 3.0],
      reference: { decoding_method: 'None', model: 'gpt4', text: 'Rayleigh scattering.' },
    }),
  );
}
const text = lines.join('\n');
const bytes = Buffer.byteLength(text);

const kept = parseJudgeLmSamples(text, 'bench.jsonl').records.length;
const tParse = timeIt(() => parseJsonl(text, 'bench.jsonl'));
const tLoad = timeIt(() => parseJudgeLmSamples(text, 'bench.jsonl'));
const peer = runPythonPeer<{ lines_per_s: number; mb_per_s: number }>(
  fileURLToPath(new URL('./peer.py', import.meta.url)),
  [],
  text,
);

printTable(`JSONL parsing, ${N} JudgeLM-shaped lines (${(bytes / 1e6).toFixed(1)} MB), same text`, [
  {
    work: 'parseJsonl (JSON only)',
    ours: N / tParse.secondsPerCall,
    peer: peer?.lines_per_s,
    unit: 'lines/s',
    peerName: 'Python json.loads/line',
  },
  {
    work: 'parseJudgeLmSamples (JSON + schema)',
    ours: kept / tLoad.secondsPerCall,
    peer: peer?.lines_per_s,
    unit: 'lines/s',
    peerName: 'Python json.loads/line + filter',
  },
  {
    work: 'parseJudgeLmSamples bytes',
    ours: bytes / tLoad.secondsPerCall / 1e6,
    peer: peer?.mb_per_s,
    unit: 'MB/s',
    peerName: 'Python json.loads/line + filter',
  },
]);
