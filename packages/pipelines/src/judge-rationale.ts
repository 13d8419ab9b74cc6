/**
 * The judge's rationale: the explanation part of its reply, without the verdict or score marker,
 * per output format. Reasoning kept apart by the server (`reasoningContent`) is the rationale of
 * formats whose reply has no explanation of its own.
 */

function clean(text: string): string | null {
  const t = text.trim();
  return t === '' ? null : t;
}

const RULES: Record<string, (text: string) => string | null> = {
  // explanation, then [[A]] / [[B]] / [[C]]: everything before the last marker
  'mtbench-pair': (t) => {
    const i = t.lastIndexOf('[[');
    return clean(i >= 0 ? t.slice(0, i) : t);
  },
  'mtbench-single': (t) => {
    const m = /Rating:\s*\[\[/i.exec(t);
    return clean(m ? t.slice(0, m.index) : t);
  },
  // line 1 holds the scores; the explanation follows
  'judgelm-scores': (t) => clean(t.slice(t.indexOf('\n') + 1 || t.length)),
  'judgelm-multi-scores': (t) => clean(t.slice(t.indexOf('\n') + 1 || t.length)),
  'judgelm-single': (t) => clean(t.slice(t.indexOf('\n') + 1 || t.length)),
  // <think>reasoning</think><answer>…: the reasoning
  'judgelrm-answer-tags': (t) => {
    const end = t.indexOf('</think>');
    return clean(end >= 0 ? t.slice(0, end).replace(/^\s*<think>/, '') : '');
  },
  'judgelrm-single': (t) => {
    const end = t.indexOf('</think>');
    return clean(end >= 0 ? t.slice(0, end).replace(/^\s*<think>/, '') : '');
  },
  // result line, then ### Reason: …
  pandalm: (t) => {
    const m = /###\s*Reason:\s*([\s\S]*?)(?:###\s*Reference:|$)/.exec(t);
    return clean(m ? m[1]! : '');
  },
  'prometheus-absolute': (t) => {
    const i = t.lastIndexOf('[RESULT]');
    return clean((i >= 0 ? t.slice(0, i) : t).replace(/^\s*Feedback:\s*/i, ''));
  },
  'prometheus-relative': (t) => {
    const i = t.lastIndexOf('[RESULT]');
    return clean((i >= 0 ? t.slice(0, i) : t).replace(/^\s*Feedback:\s*/i, ''));
  },
};

/**
 * The rationale of a reply in `outputFormat` (the parsed text: prefill + completion), or the
 * server-side reasoning when the reply carries none; `null` when there is neither. Unknown formats
 * give the whole text.
 */
export function judgeRationale(outputFormat: string, text: string, reasoningContent?: string): string | null {
  const rule = RULES[outputFormat];
  const fromText = rule ? rule(text) : clean(text);
  return fromText ?? (reasoningContent === undefined ? null : clean(reasoningContent));
}
