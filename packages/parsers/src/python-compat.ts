/**
 * Python string and number semantics that the upstream parsers and the JudgeLRM reward rely on,
 * restated for JavaScript strings, so that strict mode gives byte-for-byte the upstream result:
 * `str.isspace` / `str.strip()` / `str.split()` / `str.count`, `float(str)`, `int(str)`,
 * `ast.literal_eval` of a plain numeral, and the `re` character classes `\s` and `\d` of a `str`
 * pattern (Unicode-aware in Python 3, ASCII-only in JavaScript regexes). For example `int(' +08 ')`
 * is 8, `int('1_0')` is 10, `int('８')` (a full-width digit) is 8 and `int('8.0')` fails.
 *
 * The functions the JudgeLRM reward (`@judgekit/rewards`) needs are exported from the package door
 * (`isPyWhitespace`, `pyStrip`, `pySplitWhitespace`, `pyCount`, `pyInt`, `pyIntExact`, `pyFloat`);
 * the regex sources and `pyLiteralEvalNumeral` stay internal.
 */

/**
 * True when the UTF-16 code unit `code` is whitespace for Python's `str.isspace()` (and `\s` in a
 * `str` regex): ASCII `\t\n\v\f\r`, U+001C–U+001F, space, U+0085, U+00A0, U+1680, U+2000–U+200A,
 * U+2028, U+2029, U+202F, U+205F, U+3000. Not U+FEFF (unlike JavaScript's `\s`).
 */
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

/**
 * Regex source for Python's `\s` in a `str` pattern (a character class body, use inside `[...]`).
 * JavaScript's `\s` differs: it lacks U+001C–U+001F and U+0085 and adds U+FEFF.
 */
export const PY_WS_CLASS =
  '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** Regex source for Python's `\s` (needs the `u` flag only for consistency; it is BMP-only). */
export const PY_S = `[${PY_WS_CLASS}]`;

/** Regex source for Python's `\d` in a `str` pattern: any Unicode decimal digit (needs the `u` flag). */
export const PY_D = '\\p{Nd}';

/** Python's `s.strip()` with no argument (unlike JS `trim`, it keeps U+FEFF and strips U+001C–U+001F). */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isPyWhitespace(s.charCodeAt(start))) start++;
  while (end > start && isPyWhitespace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/**
 * Python's `s.split()` with no argument: runs of `isPyWhitespace` characters separate fields, empty
 * fields are dropped (so leading / trailing whitespace gives no empty field).
 */
export function pySplitWhitespace(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    while (i < n && isPyWhitespace(s.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isPyWhitespace(s.charCodeAt(i))) i++;
    out.push(s.slice(start, i));
  }
  return out;
}

const ND_ONE = /^\p{Nd}$/u;

/**
 * Value 0–9 of a Unicode decimal digit (category Nd), or -1. Nd characters are assigned in
 * contiguous runs of ten starting at digit zero, so the value is the offset in the run, mod 10.
 */
export function decimalDigitValue(cp: number): number {
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  if (cp < 0x80) return -1;
  if (!ND_ONE.test(String.fromCodePoint(cp))) return -1;
  let start = cp;
  while (start > 0 && ND_ONE.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/**
 * CPython's `_PyUnicode_TransformDecimalAndSpaceToASCII`, used by `float(str)` and `int(str)`:
 * non-ASCII whitespace becomes a space, non-ASCII decimal digits become ASCII digits, and any other
 * non-ASCII character becomes `?` (which then fails to parse). ASCII strings are returned as is.
 */
function toAsciiNumeral(s: string): string {
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return s;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x7f) out += ch;
    else if (isPyWhitespace(cp)) out += ' ';
    else {
      const d = decimalDigitValue(cp);
      out += d >= 0 ? String.fromCharCode(0x30 + d) : '?';
    }
  }
  return out;
}

const DIGITPART = '[0-9](?:_?[0-9])*';
const FLOAT_RE = new RegExp(
  `^[ \\t\\n\\v\\f\\r]*([+-]?(?:(?:${DIGITPART})?\\.${DIGITPART}|${DIGITPART}\\.?)(?:[eE][+-]?${DIGITPART})?)[ \\t\\n\\v\\f\\r]*$`,
);
const FLOAT_SPECIAL_RE = /^[ \t\n\v\f\r]*([+-]?)(inf|infinity|nan)[ \t\n\v\f\r]*$/i;
const INT_RE = new RegExp(`^[ \\t\\n\\v\\f\\r]*([+-]?)(${DIGITPART})[ \\t\\n\\v\\f\\r]*$`);

/**
 * Python's `float(s)` for a `str`: surrounding whitespace, a sign, leading zeros, `_` between
 * digits, Unicode decimal digits, `inf` / `infinity` / `nan` in any case. Returns `null` where
 * Python raises `ValueError`.
 */
export function pyFloat(s: string): number | null {
  const ascii = toAsciiNumeral(s);
  const m = FLOAT_RE.exec(ascii);
  if (m !== null) return Number(m[1]!.replace(/_/g, ''));
  const sp = FLOAT_SPECIAL_RE.exec(ascii);
  if (sp === null) return null;
  if (sp[2]!.toLowerCase() === 'nan') return Number.NaN;
  return sp[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

/** CPython's default `sys.get_int_max_str_digits()`: longer decimal strings make `int()` raise. */
const INT_MAX_STR_DIGITS = 4300;

/**
 * Python's `int(s)` for a `str` (base 10) with exact big integers: surrounding whitespace, a sign,
 * leading zeros, `_` between digits and Unicode decimal digits are accepted. Returns a `number`
 * when the value is a safe integer (|v| ≤ 2^53 − 1), a `bigint` otherwise, and `null` where Python
 * raises `ValueError` (decimals, words, empty text, more than CPython's 4300-digit limit).
 * `-0` gives `0`.
 */
export function pyIntExact(s: string): number | bigint | null {
  const m = INT_RE.exec(toAsciiNumeral(s));
  if (m === null) return null;
  const digits = m[2]!.replace(/_/g, '');
  if (digits.length > INT_MAX_STR_DIGITS) return null;
  const negative = m[1] === '-';
  if (digits.length <= 15) {
    const v = Number(digits);
    return negative ? (v === 0 ? 0 : -v) : v;
  }
  const big = negative ? -BigInt(digits) : BigInt(digits);
  if (big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(big);
  return big;
}

/**
 * Python's `int(s)` for a `str` (base 10) as a JS number: {@link pyIntExact} with a `bigint` result
 * rounded to the nearest double (exact up to 2^53; rounding does not change any comparison with the
 * 0–10 score range). `null` where Python raises `ValueError`.
 */
export function pyInt(s: string): number | null {
  const v = pyIntExact(s);
  return typeof v === 'bigint' ? Number(v) : v;
}

/**
 * `ast.literal_eval(s)` for a string already matched by FastChat's `\d+\.?\d*` group: a Python
 * numeric literal. Python literals take ASCII digits only, and a decimal *integer* literal may not
 * have leading zeros (`08` is a SyntaxError, `00` and `08.5` are fine). Returns `null` where
 * `literal_eval` raises (FastChat does not catch it: the upstream run crashes), including an integer
 * literal over CPython's 4300-digit limit. An integer beyond the double range is `Infinity` here.
 */
export function pyLiteralEvalNumeral(s: string): number | null {
  if (!/^[0-9]+(?:\.[0-9]*)?$/.test(s)) return null;
  if (s.includes('.')) return Number(s);
  if (s.length > 1 && s[0] === '0' && !/^0+$/.test(s)) return null;
  // CPython 3.11+ (and 3.10.7+) refuses integer literals over sys.get_int_max_str_digits().
  if (s.length > INT_MAX_STR_DIGITS) return null;
  return Number(s);
}

/** Python's `s.count(sub)` for a non-empty `sub`: non-overlapping occurrences, counted left to right. */
export function pyCount(s: string, sub: string): number {
  let count = 0;
  for (let at = s.indexOf(sub); at !== -1; at = s.indexOf(sub, at + sub.length)) count++;
  return count;
}
