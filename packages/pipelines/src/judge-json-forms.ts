/**
 * JSON forms of the judge output formats, for structured output (OpenAI / vLLM / SGLang JSON
 * schema, vLLM `guided_json`): a schema the server constrains the reply to, and a reader that
 * turns the JSON back into the format's plain text (`formatJudgeOutput` of `@judgekit/prompts`),
 * which the format's own parser then reads. Formats whose templates prefill the assistant turn
 * (JudgeLM single, JudgeLRM) have no JSON form: the prefill and a JSON object cannot both start the
 * reply.
 */

import { InvalidArgumentError, type Verdict } from '@judgekit/core';
import { formatJudgeOutput } from '@judgekit/prompts';

/** A JSON form of one output format. */
export interface JudgeJsonForm {
  /** JSON Schema of the reply. */
  schema: Record<string, unknown>;
  /** Short instruction appended to the user message, telling the model the JSON fields. */
  instruction: string;
  /**
   * The format's plain text for a reply that follows the schema, or a failure reason when the
   * JSON does not (the caller then falls back to the plain-text parser on the raw reply).
   */
  toText(json: unknown): { ok: true; text: string; rationale: string } | { ok: false; reason: string };
}

const str = { type: 'string' } as const;
const obj = (properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

function field(json: unknown, name: string): unknown {
  return json !== null && typeof json === 'object' && !Array.isArray(json)
    ? (json as Record<string, unknown>)[name]
    : undefined;
}

function verdictOf(value: unknown, map: Record<string, Verdict>): Verdict | undefined {
  return typeof value === 'string' ? map[value.trim()] : undefined;
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const FORMS = new Map<string, JudgeJsonForm>();

FORMS.set('mtbench-pair', {
  schema: obj({ explanation: str, verdict: { type: 'string', enum: ['A', 'B', 'C'] } }, [
    'explanation',
    'verdict',
  ]),
  instruction:
    'Reply with a JSON object {"explanation": string, "verdict": "A" | "B" | "C"} ("C" for a tie).',
  toText(json) {
    const verdict = verdictOf(field(json, 'verdict'), { A: 'answer1', B: 'answer2', C: 'tie' });
    const explanation = field(json, 'explanation');
    if (verdict === undefined) return { ok: false, reason: 'json-no-verdict' };
    const rationale = typeof explanation === 'string' ? explanation : '';
    return {
      ok: true,
      text: formatJudgeOutput('mtbench-pair', { verdict, explanation: rationale }),
      rationale,
    };
  },
});

FORMS.set('mtbench-single', {
  schema: obj({ explanation: str, rating: { type: 'number' } }, ['explanation', 'rating']),
  instruction: 'Reply with a JSON object {"explanation": string, "rating": number}.',
  toText(json) {
    const rating = finiteNumber(field(json, 'rating'));
    if (rating === undefined) return { ok: false, reason: 'json-no-rating' };
    const e = field(json, 'explanation');
    const rationale = typeof e === 'string' ? e : '';
    return {
      ok: true,
      text: formatJudgeOutput('mtbench-single', { rating, explanation: rationale }),
      rationale,
    };
  },
});

FORMS.set('judgelm-scores', {
  schema: obj(
    {
      score1: { type: 'number' },
      score2: { type: 'number' },
      explanation: str,
    },
    ['score1', 'score2', 'explanation'],
  ),
  instruction:
    'Reply with a JSON object {"score1": number, "score2": number, "explanation": string} (scores of Assistant 1 and 2).',
  toText(json) {
    const a = finiteNumber(field(json, 'score1'));
    const b = finiteNumber(field(json, 'score2'));
    if (a === undefined || b === undefined) return { ok: false, reason: 'json-no-scores' };
    const e = field(json, 'explanation');
    const rationale = typeof e === 'string' ? e : '';
    return {
      ok: true,
      text: formatJudgeOutput('judgelm-scores', { scores: [a, b], explanation: rationale }),
      rationale,
    };
  },
});

FORMS.set('pandalm', {
  schema: obj({ result: { type: 'string', enum: ['1', '2', 'Tie'] }, reason: str }, ['result', 'reason']),
  instruction: 'Reply with a JSON object {"result": "1" | "2" | "Tie", "reason": string}.',
  toText(json) {
    const verdict = verdictOf(field(json, 'result'), { '1': 'answer1', '2': 'answer2', Tie: 'tie' });
    if (verdict === undefined) return { ok: false, reason: 'json-no-verdict' };
    const r = field(json, 'reason');
    const rationale = typeof r === 'string' ? r : '';
    return {
      ok: true,
      text: formatJudgeOutput('pandalm', { verdict, reason: rationale, reference: '' }),
      rationale,
    };
  },
});

FORMS.set('prometheus-absolute', {
  schema: obj({ feedback: str, score: { type: 'integer', minimum: 1, maximum: 5 } }, ['feedback', 'score']),
  instruction: 'Reply with a JSON object {"feedback": string, "score": 1 | 2 | 3 | 4 | 5}.',
  toText(json) {
    const score = finiteNumber(field(json, 'score'));
    if (score === undefined) return { ok: false, reason: 'json-no-score' };
    const f = field(json, 'feedback');
    const rationale = typeof f === 'string' ? f : '';
    return {
      ok: true,
      text: formatJudgeOutput('prometheus-absolute', { score, feedback: rationale }),
      rationale,
    };
  },
});

FORMS.set('prometheus-relative', {
  schema: obj({ feedback: str, result: { type: 'string', enum: ['A', 'B'] } }, ['feedback', 'result']),
  instruction: 'Reply with a JSON object {"feedback": string, "result": "A" | "B"}.',
  toText(json) {
    const verdict = verdictOf(field(json, 'result'), { A: 'answer1', B: 'answer2' });
    if (verdict === undefined || verdict === 'tie') return { ok: false, reason: 'json-no-verdict' };
    const f = field(json, 'feedback');
    const rationale = typeof f === 'string' ? f : '';
    return {
      ok: true,
      text: formatJudgeOutput('prometheus-relative', { verdict, feedback: rationale }),
      rationale,
    };
  },
});

/** The JSON form of an output format, or `undefined` when it has none. */
export function getJudgeJsonForm(outputFormat: string): JudgeJsonForm | undefined {
  return FORMS.get(outputFormat);
}

/** Output formats that have a JSON form. */
export function listJudgeJsonForms(): string[] {
  return [...FORMS.keys()];
}

/**
 * Register (or replace, with `replace: true`) the JSON form of an output format, e.g. for a
 * format added with the parsers' registry. The form's `toText` must write text that format's
 * parser reads.
 */
export function registerJudgeJsonForm(
  outputFormat: string,
  form: JudgeJsonForm,
  options: { replace?: boolean } = {},
): void {
  if (FORMS.has(outputFormat) && !options.replace)
    throw new InvalidArgumentError(
      'outputFormat',
      `${outputFormat} already has a JSON form; pass { replace: true }`,
    );
  FORMS.set(outputFormat, form);
}
