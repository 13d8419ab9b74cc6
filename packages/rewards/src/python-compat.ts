/**
 * Python string semantics the upstream reward relies on, restated for JavaScript strings:
 * `str.isspace`, `str.strip()`, `str.split()` (no argument), `str.count`, `int(str)` and
 * `float(str)`. The JudgeLRM reward (NuoJohnChen/JudgeLRM, src/verl/utils/reward_score/judgelrm.py,
 * commit 1b20721) parses model text with these, so they must match byte for byte: `int(' +08 ')`
 * is 8, `int('1_0')` is 10, `int('８')` (a full-width digit) is 8, `int('8.0')` fails.
 *
 * Internal module: not exported from the package door.
 */

/** True when `code` is whitespace for Python's `str.isspace()` (Unicode White_Space-like set of CPython). */
export function isPyWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Python's `s.strip()` with no argument (strips `isPyWhitespace` characters; unlike JS `trim`, keeps U+FEFF). */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isPyWhitespace(s.charCodeAt(start))) start++;
  while (end > start && isPyWhitespace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Python's `s.split()` with no argument: runs of whitespace separate, empty fields are dropped. */
export function pySplitWhitespace(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && isPyWhitespace(s.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isPyWhitespace(s.charCodeAt(i))) i++;
    out.push(s.slice(start, i));
  }
  return out;
}

/** Python's `s.count(sub)` for a non-empty `sub`: non-overlapping occurrences. */
export function pyCount(s: string, sub: string): number {
  let count = 0;
  let at = s.indexOf(sub);
  while (at !== -1) {
    count++;
    at = s.indexOf(sub, at + sub.length);
  }
  return count;
}

const ND = /^\p{Nd}$/u;

/**
 * Value 0–9 of a Unicode decimal digit (category Nd), or -1. Nd characters come in contiguous runs
 * of ten starting at the digit zero, so the value is the offset from the start of the run, mod 10.
 */
function decimalValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  if (cp < 0x80) return -1;
  if (!ND.test(String.fromCodePoint(cp))) return -1;
  let start = cp;
  while (start > 0 && ND.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/**
 * Python's `_PyUnicode_TransformDecimalAndSpaceToASCII`: Unicode decimal digits become ASCII digits,
 * whitespace becomes a space, other non-ASCII characters become `?` (which then fails to parse).
 */
function toAsciiNumeral(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return s;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out += ch;
    else if (isPyWhitespace(cp)) out += ' ';
    else {
      const d = decimalValue(cp);
      out += d >= 0 ? String.fromCharCode(0x30 + d) : '?';
    }
  }
  return out;
}

/** CPython's default `sys.get_int_max_str_digits()` limit: longer decimal strings raise ValueError. */
const INT_MAX_STR_DIGITS = 4300;

const INT_RE = /^[ \t\n\v\f\r]*([+-]?)([0-9](?:_?[0-9])*)[ \t\n\v\f\r]*$/;

/**
 * Python's `int(s)` for a `str` (base 10). Returns a `number` when the value is a safe integer,
 * a `bigint` otherwise, or `null` where Python raises `ValueError`.
 */
export function pyInt(s: string): number | bigint | null {
  const m = INT_RE.exec(toAsciiNumeral(s));
  if (m === null) return null;
  const digits = m[2]!.replace(/_/g, '');
  if (digits.length > INT_MAX_STR_DIGITS) return null;
  const negative = m[1] === '-';
  if (digits.length <= 15) {
    const v = Number(digits);
    return negative ? (v === 0 ? 0 : -v) : v;
  }
  const big = BigInt(digits);
  const value = negative ? -big : big;
  if (value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER))
    return Number(value);
  return value;
}

const FLOAT_RE =
  /^[ \t\n\v\f\r]*([+-]?(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?)[ \t\n\v\f\r]*$/;
const FLOAT_SPECIAL_RE = /^[ \t\n\v\f\r]*([+-]?)(inf|infinity|nan)[ \t\n\v\f\r]*$/i;

/** Python's `float(s)` for a `str`, or `null` where Python raises `ValueError`. */
export function pyFloat(s: string): number | null {
  const ascii = toAsciiNumeral(s);
  const m = FLOAT_RE.exec(ascii);
  if (m !== null) return Number(m[1]!.replace(/_/g, ''));
  const sp = FLOAT_SPECIAL_RE.exec(ascii);
  if (sp === null) return null;
  if (sp[2]!.toLowerCase() === 'nan') return Number.NaN;
  return sp[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}
