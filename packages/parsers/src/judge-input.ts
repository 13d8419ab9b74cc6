/**
 * What every parser accepts, and the shared lenient clean-up steps (think blocks, code fences,
 * special tokens, `reasoning_content`).
 */

/**
 * A judge's output as a parser accepts it: the completion text, or an OpenAI-compatible message
 * where reasoning models put their thinking in `reasoning_content` (vLLM / SGLang reasoning
 * parsers, DeepSeek-R1 style APIs) and the answer in `content`.
 */
export type JudgeTextInput =
  | string
  | {
      /** The message `content` (the answer part). `null` when the server returned none. */
      text: string | null | undefined;
      /** The message `reasoning_content`, if the server split it off. */
      reasoningContent?: string | null | undefined;
    };

/**
 * `strict`: reproduce the upstream parser exactly (same accepted inputs, same numbers).
 * `lenient`: recover what a human would read as the verdict, and say how in `recoveredBy`.
 */
export type ParseMode = 'strict' | 'lenient';

/**
 * What a parser does with a score that is not a finite number (`NaN`, `±Infinity`, or an integer
 * too large for a double), as Python's `float()` / `int()` reads `"nan"`, `"inf"`, `"7e308"`:
 * - `'fail'` (default): the result is a typed failure `'non-finite-score'` (its message keeps the
 *   value), never a verdict;
 * - `'upstream'`: the upstream convention by name: the value is kept as upstream reads it and the
 *   verdict is what upstream derives from it (e.g. JudgeLM's `nan nan` → tie).
 */
export type NonFiniteScorePolicy = 'fail' | 'upstream';

/** Options every parser takes. */
export interface BaseParseOptions {
  /** Parsing mode; default `'strict'`. */
  mode?: ParseMode;
  /** Scores that are not finite: `'fail'` (default, `'non-finite-score'`) or `'upstream'`. */
  nonFiniteScores?: NonFiniteScorePolicy;
}

/** True when some value is not a finite number. */
export function hasNonFinite(values: readonly number[]): boolean {
  for (const v of values) if (!Number.isFinite(v)) return true;
  return false;
}

/** Message of a `'non-finite-score'` failure. */
export function nonFiniteMessage(values: readonly number[]): string {
  const shown = values.map((v) => (Number.isNaN(v) ? 'NaN' : String(v))).join(', ');
  return `A score is not a finite number (${shown}); upstream would keep it (pass nonFiniteScores: 'upstream' for that convention).`;
}

/**
 * Names of the lenient recovery steps a success can list in `recoveredBy`, in the order applied.
 * Format-specific steps (e.g. `'labelled-scores'`) are documented on each parser.
 */
export type CommonRecoveryStep =
  /** The answer was taken from `reasoningContent` because `text` held none. */
  | 'reasoning-content'
  /** `<think>…</think>` (or a prefilled think block closed by a bare `</think>`) was removed. */
  | 'stripped-think'
  /** The answer sat inside a Markdown code fence (```json … ```). */
  | 'code-fence'
  /** Chat special tokens (`<|im_end|>`, `</s>`, `<|eot_id|>`, …) were removed. */
  | 'special-tokens';

/** The main text and the reasoning text of an input, both as strings (never throws). */
export function splitJudgeInput(input: unknown): { text: string; reasoning: string; raw: string } {
  if (typeof input === 'string') return { text: input, reasoning: '', raw: input };
  if (input !== null && typeof input === 'object') {
    const o = input as { text?: unknown; reasoningContent?: unknown };
    const text = typeof o.text === 'string' ? o.text : '';
    const reasoning = typeof o.reasoningContent === 'string' ? o.reasoningContent : '';
    return { text, reasoning, raw: text };
  }
  return { text: '', reasoning: '', raw: input === undefined || input === null ? '' : String(input) };
}

const THINK_OPEN = /<think>/gi;
const THINK_CLOSE = /<\/think>/gi;

/** Index of the first case-insensitive match of the literal pattern `re` (flags `gi`) at or after `from`, or -1. */
function indexOfPattern(re: RegExp, s: string, from: number): number {
  re.lastIndex = from;
  const m = re.exec(s);
  re.lastIndex = 0;
  return m === null ? -1 : m.index;
}

/**
 * `text.replace(/<think>[\s\S]*?<\/think>/gi, '')` in linear time: each `<think>` up to the first
 * `</think>` after it is removed; once no `</think>` follows, nothing later can match either.
 */
function removeThinkBlocks(text: string): string {
  let out = '';
  let pos = 0;
  for (;;) {
    const open = indexOfPattern(THINK_OPEN, text, pos);
    if (open === -1) break;
    const close = indexOfPattern(THINK_CLOSE, text, open + 7);
    if (close === -1) break;
    out += text.slice(pos, open);
    pos = close + 8;
  }
  return pos === 0 ? text : out + text.slice(pos);
}

/**
 * The content of the first Markdown code fence, as `/```[A-Za-z0-9_-]*[ \t]*\r?\n?([\s\S]*?)```/`
 * captures it, in linear time (an unclosed first fence means no later fence can close either).
 */
function fenceContent(text: string): string | undefined {
  const open = text.indexOf('```');
  if (open === -1) return undefined;
  let i = open + 3;
  const n = text.length;
  while (i < n && /[A-Za-z0-9_-]/.test(text[i]!)) i++;
  while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] === '\r') i++;
  if (text[i] === '\n') i++;
  const close = text.indexOf('```', i);
  return close === -1 ? undefined : text.slice(i, close);
}
const SPECIAL_TOKENS =
  /<\|im_end\|>|<\|im_start\|>(?:assistant|user|system)?|<\|endoftext\|>|<\|eot_id\|>|<\|end_of_text\|>|<\|end\|>|<\|assistant\|>|<\/s>|<s>|<unk>|<pad>|\[PAD\]|<end_of_turn>|<eos>/g;

/**
 * Remove reasoning: every `<think>…</think>` block, then everything up to a remaining bare
 * `</think>` (the opening tag was prefilled in the prompt), then an unclosed trailing `<think>…`
 * only when text remains before it.
 */
export function stripThink(text: string): string {
  let out = removeThinkBlocks(text);
  THINK_CLOSE.lastIndex = 0;
  let lastClose = -1;
  for (let m = THINK_CLOSE.exec(out); m !== null; m = THINK_CLOSE.exec(out))
    lastClose = m.index + m[0].length;
  THINK_CLOSE.lastIndex = 0;
  if (lastClose >= 0) out = out.slice(lastClose);
  const tail = indexOfPattern(THINK_OPEN, out, 0);
  if (tail > 0 && out.slice(0, tail).trim() !== '') out = out.slice(0, tail);
  return out;
}

/** The lenient text after the shared clean-up, and the steps that changed it. */
export interface CleanedText {
  text: string;
  steps: string[];
}

/**
 * Shared lenient clean-up: strip think blocks, special tokens, and a code fence (the fence's
 * content replaces the text when the fence holds the answer), then trim (trimming is not reported as a step).
 */
export function cleanJudgeText(text: string, options: { keepThink?: boolean } = {}): CleanedText {
  const steps: string[] = [];
  let t = text;
  if (!options.keepThink && /<\/?think>/i.test(t)) {
    const s = stripThink(t);
    if (s !== t) {
      steps.push('stripped-think');
      t = s;
    }
  }
  SPECIAL_TOKENS.lastIndex = 0;
  if (SPECIAL_TOKENS.test(t)) {
    SPECIAL_TOKENS.lastIndex = 0;
    t = t.replace(SPECIAL_TOKENS, '');
    steps.push('special-tokens');
  }
  const fence = fenceContent(t);
  if (fence !== undefined && fence.trim() !== '') {
    t = fence;
    steps.push('code-fence');
  }
  return { text: t.trim(), steps };
}

/**
 * Find the first JSON object or array in `text` that parses, or `undefined`. Scans balanced
 * braces (string-aware) so surrounding prose does not matter; bounded work per candidate.
 */
export function findJson(text: string): unknown {
  const n = text.length;
  let tries = 0;
  for (let start = 0; start < n && tries < 16; start++) {
    const c = text[start];
    if (c !== '{' && c !== '[') continue;
    tries++;
    let depth = 0;
    let inString = false;
    for (let i = start; i < n; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) {
          try {
            return JSON.parse(text.slice(start, i + 1));
          } catch {
            break;
          }
        }
      }
    }
  }
  return undefined;
}

/** Read a number from a JSON value (number, or a numeric string like `"8"` / `"8/10"`). */
export function jsonNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const m = /^\s*(-?\d+(?:\.\d+)?)\s*(?:\/\s*\d+\s*)?$/.exec(v);
    if (m) {
      const x = Number(m[1]);
      return Number.isFinite(x) ? x : undefined;
    }
  }
  return undefined;
}

/** Case-insensitive lookup of the first present key in a JSON object. */
export function jsonField(obj: unknown, keys: readonly string[]): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const entries = Object.entries(obj as Record<string, unknown>);
  for (const key of keys) {
    const hit = entries.find(([k]) => k.toLowerCase().replace(/[\s_-]/g, '') === key);
    if (hit) return hit[1];
  }
  return undefined;
}

/**
 * Run a lenient recovery over the main text and, if that finds nothing, over the reasoning
 * content (adding `'reasoning-content'` to the steps).
 */
export function withReasoningFallback<T>(
  text: string,
  reasoning: string,
  attempt: (t: string) => { value: T; steps: string[] } | undefined,
): { value: T; steps: string[] } | undefined {
  const first = attempt(text);
  if (first !== undefined) return first;
  if (reasoning.trim() === '') return undefined;
  const second = attempt(reasoning);
  if (second === undefined) return undefined;
  return { value: second.value, steps: ['reasoning-content', ...second.steps] };
}
