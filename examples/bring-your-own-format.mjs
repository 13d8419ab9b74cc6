#!/usr/bin/env node
/**
 * Bring your own judge format: register a format and a template (examples/plugins/verdict-word.mjs),
 * then use them exactly like a built-in: render a prompt, parse answers strictly and leniently,
 * evaluate a judge model on a dataset in both orders under a named combine rule.
 *
 * Runs offline: the "judge model" is a stand-in object with the JudgeModel shape that prefers the
 * longer answer (swap it for createOpenAICompatibleModel({ baseURL, model }) to use a real server).
 *
 * Usage: node examples/bring-your-own-format.mjs   (after `pnpm build`)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getParser } from '@judgekit/parsers';
import { evaluateJudgeOnDataset, JUDGEKIT_PLUGIN_API, renderEvaluationReport } from '@judgekit/pipelines';
import { formatJudgeOutput, render } from '@judgekit/prompts';
import { register } from './plugins/verdict-word.mjs';

// 1. Register the format and its template (what `judgekit --plugin` does).
register(JUDGEKIT_PLUGIN_API);

// 2. Render a prompt with the user template, like any built-in one.
const sample = {
  id: 'q1',
  question: 'Name the capital of Australia in one word.',
  answer1: 'Canberra',
  answer2: 'The capital of Australia is Sydney, the largest city.',
  label: 'answer1',
};
const prompt = render('my-lab/verdict-word-pair', sample);
console.log(
  `1. rendered ${prompt.templateId}: ${prompt.messages.length} messages, output format ${prompt.outputFormat}`,
);

// 3. Parse answers in strict and lenient mode; bad text is a typed failure, never a tie.
const parser = getParser(prompt.outputFormat);
const wellFormed = formatJudgeOutput(prompt.outputFormat, {
  verdict: 'answer1',
  reasoning: 'One word, and right.',
});
const sloppy = 'I would say **Verdict: First**.';
for (const [name, text] of [
  ['well-formed', wellFormed],
  ['sloppy', sloppy],
]) {
  const strict = parser.parse(text, { mode: 'strict' });
  const lenient = parser.parse(text, { mode: 'lenient' });
  console.log(
    `2. ${name}: strict ${strict.ok ? strict.value.verdict : `failure "${strict.reason}"`}, ` +
      `lenient ${lenient.ok ? `${lenient.value.verdict} ${JSON.stringify(lenient.recoveredBy)}` : lenient.reason}`,
  );
}

// 4. Evaluate a judge on a small dataset, both orders, JudgeBench's combine rule.
const samples = [
  sample,
  { id: 'q2', question: 'Say hi.', answer1: 'hi', answer2: 'Hello there, friend!', label: 'answer2' },
  { id: 'q3', question: '2+2?', answer1: '4', answer2: 'four (4)', label: 'answer1' },
  {
    id: 'q4',
    question: 'Colour of the sky?',
    answer1: 'Blue on a clear day.',
    answer2: 'Blue.',
    label: 'answer1',
  },
];
const longerWins = {
  id: 'longer-wins',
  async generate(request) {
    const user = request.messages.find((m) => m.role === 'user').content;
    const m = /\[First response\]\n([\s\S]*?)\n\n\[Second response\]\n([\s\S]*?)\n\nWhich/.exec(user);
    const [a, b] = [m[1].length, m[2].length];
    const text = `Comparing lengths.\nVERDICT: ${a > b ? 'first' : a < b ? 'second' : 'same'}`;
    return {
      text,
      model: 'longer-wins',
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      cached: false,
      latencyMs: 0,
    };
  },
};
const out = join(mkdtempSync(join(tmpdir(), 'judgekit-byof-')), 'results.jsonl');
const result = await evaluateJudgeOnDataset({
  samples,
  template: 'my-lab/verdict-word-pair',
  model: longerWins,
  swap: true,
  combine: 'judgebench',
  outFile: out,
  bootstrap: false,
});
const c = result.combined;
console.log(
  `3. original order: accuracy ${result.metrics.accuracy.toFixed(4)} (${result.metrics.correct}/${result.metrics.n}); ` +
    `${c.rule.name} rule: ${c.accuracy.toFixed(4)} (${c.correct}/${c.outOf})`,
);
const md = renderEvaluationReport(result, { title: 'longer-wins with my-lab/verdict-word' }).markdown;
console.log(`4. report names the rule: ${md.includes('combined with the `judgebench` rule')}`);
if (!parser.parse(wellFormed).ok || !md.includes('`judgebench` rule')) process.exit(1);
