/**
 * A judgekit plugin: a user judge format ("VERDICT: first | second | same" on the last line) and a
 * template that asks for it. Load it in the CLI with `--plugin examples/plugins/verdict-word.mjs`,
 * or call `register(JUDGEKIT_PLUGIN_API)` from a script (examples/bring-your-own-format.mjs).
 *
 * It imports nothing: `register` receives the registration functions, so the file can live anywhere.
 */

/** @param {import('@judgekit/pipelines').JudgekitPluginApi} judgekit */
export function register(judgekit) {
  judgekit.registerJudgeFormat({
    id: 'my-lab/verdict-word',
    description: 'Reasoning, then a last line "VERDICT: first", "VERDICT: second" or "VERDICT: same".',
    kind: 'pairwise',
    // Writes a well-formed answer (used for round-trip tests and examples).
    format: (v) =>
      `${v.reasoning ?? ''}${v.reasoning ? '\n' : ''}VERDICT: ${
        v.verdict === 'answer1' ? 'first' : v.verdict === 'answer2' ? 'second' : 'same'
      }`,
    // Strict: the exact last line. Lenient: any "verdict: …" anywhere, any case.
    parse(text, { mode }) {
      const re =
        mode === 'lenient'
          ? /verdict\s*[:=]\s*\**\s*(first|second|same)/i
          : /(?:^|\n)VERDICT: (first|second|same)\s*$/;
      const m = re.exec(text);
      if (!m) return judgekit.parseFailure('no-verdict-line', 'no "VERDICT: first|second|same" line', text);
      const word = m[1].toLowerCase();
      const verdict = word === 'first' ? 'answer1' : word === 'second' ? 'answer2' : 'tie';
      return judgekit.parseSuccess(
        { kind: 'pairwise', verdict },
        text,
        mode === 'lenient' && !/(?:^|\n)VERDICT: /.test(text) ? ['verdict-anywhere'] : [],
      );
    },
  });
  judgekit.registerTemplate({
    id: 'my-lab/verdict-word-pair',
    version: 1,
    format: 'pairwise',
    description: 'Compare two responses; end with "VERDICT: first|second|same".',
    source: { repo: 'my-lab/judges', path: 'prompts/verdict-word.txt', commit: '0000000' },
    system: 'You are a careful judge of answers to instructions.',
    user: 'Instruction: {question}\n\n[First response]\n{answer1}\n\n[Second response]\n{answer2}\n\nWhich response follows the instruction better? Think briefly, then end with one line: "VERDICT: first", "VERDICT: second" or "VERDICT: same".',
    raw: '<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n<|im_start|>assistant\n',
    outputFormat: 'my-lab/verdict-word',
  });
}
