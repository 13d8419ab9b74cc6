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

/**
 * Python's `str.isspace()` set (what `str.strip()` with no argument removes): JS `\s` without
 * U+FEFF, plus U+001C..U+001F and U+0085. Checked by code unit, so `pythonStrip` needs no regex.
 */
function isPythonSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Python's `str.strip()` with no argument (its whitespace set differs from `String.prototype.trim`). */
export function pythonStrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPythonSpace(text.charCodeAt(end - 1))) end--;
  let start = 0;
  while (start < end && isPythonSpace(text.charCodeAt(start))) start++;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * `pattern.sub("", text.strip()).strip()`: what PandaLM's `build_pandalm_prompt` and JudgeLRM's
 * `build_judgelrm_prompt` / `build_single_score_prompt` do to each response before formatting.
 * Every special token starts with `<` or `[`, so text holding neither skips the regex (and the
 * second strip, which then has nothing left to do).
 */
export function stripSpecialTokens(text: string): string {
  const stripped = pythonStrip(text);
  if (stripped.indexOf('<') < 0 && stripped.indexOf('[') < 0) return stripped;
  return pythonStrip(stripped.replace(SPECIAL_TOKEN_PATTERN, ''));
}

/**
 * The question text JudgeLRM builds from a PandaLM record: `instruction + "\n" + input` when
 * `input` is non-empty, else `instruction` (`NuoJohnChen/JudgeLRM`,
 * `pandalm/utils/judgelrm_inference.py`, commit e60f305).
 */
export function joinInstructionInput(instruction: string, input: string | undefined): string {
  return input ? `${instruction}\n${input}` : instruction;
}
