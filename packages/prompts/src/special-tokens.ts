/**
 * Text clean-up that upstream inference scripts apply to answers before building the prompt.
 */

/**
 * The special-token pattern of PandaLM's inference (`WeOpenML/PandaLM`,
 * `pandalm/utils/pandalm_inference.py`, commit 3871806e), reused verbatim by JudgeLRM's
 * inference scripts (`NuoJohnChen/JudgeLRM`, `pandalm/utils/judgelrm_inference.py`,
 * commit e60f305).
 */
export const SPECIAL_TOKEN_PATTERN =
  /<unk>|<pad>|<s>|<\/s>|\[PAD\]|<\|endoftext\|>|\[UNK\]|\[CLS\]|\[MASK\]|<\|startofpiece\|>|<\|endofpiece\|>|\[gMASK\]|\[sMASK\]/g;

// Python's str.strip() whitespace (str.isspace): JS \s without U+FEFF, plus U+001C..U+001F and U+0085.
const PY_WS =
  '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_LEADING = new RegExp(`^[${PY_WS}]+`);
const PY_TRAILING = new RegExp(`[${PY_WS}]+$`);

/** Python's `str.strip()` with no argument (its whitespace set differs from `String.prototype.trim`). */
export function pythonStrip(text: string): string {
  return text.replace(PY_LEADING, '').replace(PY_TRAILING, '');
}

/**
 * `pattern.sub("", text.strip()).strip()`: what PandaLM's `build_pandalm_prompt` and JudgeLRM's
 * `build_judgelrm_prompt` / `build_single_score_prompt` do to each response before formatting.
 */
export function stripSpecialTokens(text: string): string {
  return pythonStrip(pythonStrip(text).replace(SPECIAL_TOKEN_PATTERN, ''));
}

/**
 * The question text JudgeLRM builds from a PandaLM record: `instruction + "\n" + input` when
 * `input` is non-empty, else `instruction` (`NuoJohnChen/JudgeLRM`,
 * `pandalm/utils/judgelrm_inference.py`, commit e60f305).
 */
export function joinInstructionInput(instruction: string, input: string | undefined): string {
  return input ? `${instruction}\n${input}` : instruction;
}
