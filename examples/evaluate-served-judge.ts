/**
 * The whole judge-evaluation flow in TypeScript, against an OpenAI-compatible server: what
 * `judgekit eval` does, as library calls with their types.
 *
 * So that it runs anywhere, the "server" is started here: a local HTTP server speaking
 * `/v1/chat/completions` whose judge is a transparent heuristic (the longer response wins, in
 * PandaLM's output format). Replace `baseURL` and `model` with a vLLM or SGLang server to judge
 * with a real model; nothing else changes.
 *
 * Usage: npx tsx examples/evaluate-served-judge.ts [--out DIR] [--limit N]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  createOpenAICompatibleModel,
  type EvaluationResult,
  evaluateJudgeOnDataset,
  loadPairwiseDataset,
  writeEvaluationReport,
} from '@judgekit/pipelines';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(root, 'runs/evaluate-served-judge') },
    limit: { type: 'string', default: '40' },
  },
});

/** The heuristic judge behind the local server: PandaLM's format, the longer response wins. */
function lengthJudge(prompt: string): string {
  const m = /### Response 1:\n([\s\S]*?)\n\n### Response 2:\n([\s\S]*?)\n\n### Evaluation:/.exec(prompt);
  if (!m) return 'I cannot find the two responses.';
  const [a, b] = [m[1]!.length, m[2]!.length];
  const verdict = Math.abs(a - b) < 20 ? 'Tie' : a > b ? '1' : '2';
  return `${verdict}\n\n### Reason: the longer response is taken to be the more complete one.`;
}

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => {
    body += chunk.toString();
  });
  req.on('end', () => {
    const request = JSON.parse(body) as { messages: { role: string; content: string }[] };
    const content = lengthJudge(request.messages.at(-1)!.content);
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        id: 'local',
        object: 'chat.completion',
        model: 'length-judge',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: Math.ceil(body.length / 4),
          completion_tokens: 16,
          total_tokens: Math.ceil(body.length / 4) + 16,
        },
      }),
    );
  });
});
await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

try {
  const dataset = await loadPairwiseDataset(join(root, 'fixtures/data/pandalm/data'), 'pandalm');
  const n = Number(values.limit);
  const model = createOpenAICompatibleModel({ baseURL, model: 'length-judge', concurrency: 4 });
  await rm(values.out, { recursive: true, force: true }); // a fresh run (the results file would resume)
  await mkdir(values.out, { recursive: true });
  const result: EvaluationResult = await evaluateJudgeOnDataset({
    samples: dataset.samples.slice(0, n),
    labels: dataset.labels.slice(0, n),
    template: 'pandalm/pair',
    model,
    swap: true,
    outFile: join(values.out, 'results.jsonl'),
    bootstrap: { resamples: 500, seed: 0 },
  });
  const written = await writeEvaluationReport(values.out, result, {
    title: `A length heuristic on ${n} PandaLM pairs`,
    intro: [`Reference labels: ${dataset.labelSource}.`],
  });
  const m = result.metrics!;
  console.log(
    `${result.counts.judged}/${result.counts.samples} judged (${result.counts.judgedSwapped} swapped): accuracy ${m.accuracy.toFixed(4)}, ` +
      `swap consistency ${result.swap!.consistency.toFixed(4)}, ${result.parseFailures.total} parse failures, ${result.usage.totalTokens} tokens`,
  );
  console.log(`report: ${written.html}`);
  if (!result.complete || result.counts.modelErrors > 0) process.exitCode = 1;
} finally {
  server.close();
}
