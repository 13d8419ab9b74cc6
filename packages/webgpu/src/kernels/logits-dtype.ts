/**
 * Logits storage formats: float32 / float64 arrays, or 16-bit values packed in a `Uint16Array`
 * (IEEE float16, or bfloat16 — the upper half of a float32). The CPU path decodes them exactly to
 * float32; the WGSL path reads them from a `u32` buffer (two values per word; float16 through
 * `unpack2x16float`, or as `f16` when the device has `shader-f16`), so a bf16 row costs half
 * the memory traffic of float32.
 *
 * @module
 */

import { InvalidArgumentError } from '@judgekit/core';

/** How logits are stored. */
export type LogitsDtype = 'float32' | 'float16' | 'bfloat16';

/** Logits: float32 / float64 values, or 16-bit patterns (`dtype` `float16` / `bfloat16`). */
export type LogitsInput = Float32Array | Float64Array | Uint16Array;

/** The dtype of `logits` given the declared one; throws when they disagree. */
export function resolveLogitsDtype(logits: LogitsInput, dtype: LogitsDtype | undefined): LogitsDtype {
  if (logits instanceof Uint16Array) {
    if (dtype !== 'float16' && dtype !== 'bfloat16')
      throw new InvalidArgumentError(
        'dtype',
        `a Uint16Array of logits needs dtype 'float16' or 'bfloat16', got ${dtype}`,
      );
    return dtype;
  }
  if (dtype !== undefined && dtype !== 'float32')
    throw new InvalidArgumentError(
      'dtype',
      `dtype '${dtype}' needs the logits as a Uint16Array of bit patterns`,
    );
  return 'float32';
}

/** Decode one IEEE float16 bit pattern. */
export function float16ToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f === 0 ? s * Number.POSITIVE_INFINITY : Number.NaN;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Round a number to the nearest IEEE float16 bit pattern (ties to even; overflow to ±inf). */
export function numberToFloat16(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const s = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65520) return s | 0x7c00;
  if (a < 2 ** -24 * 0.5) return s;
  let e = Math.floor(Math.log2(a));
  if (e < -14) e = -14; // subnormal
  let m = Math.round(roundEvenScale(a / 2 ** e, 10));
  if (e > -15 && m >= 2048) {
    m /= 2;
    e++;
  }
  if (m < 1024) return s | m; // subnormal (e = −14)
  return s | ((e + 15) << 10) | (m - 1024);
}

function roundEvenScale(v: number, bits: number): number {
  const t = v * 2 ** bits;
  const r = Math.round(t);
  return Math.abs(t - Math.trunc(t)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Round float32 values to bfloat16 bit patterns (ties to even, NaN kept). */
export function float32ToBfloat16(values: Float32Array): Uint16Array {
  const u = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const out = new Uint16Array(values.length);
  for (let i = 0; i < u.length; i++) {
    const b = u[i] as number;
    if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) out[i] = (b >>> 16) | 0x40;
    else out[i] = (b + 0x7fff + ((b >>> 16) & 1)) >>> 16;
  }
  return out;
}

/** Round values to float16 bit patterns. */
export function toFloat16(values: ArrayLike<number>): Uint16Array {
  return Uint16Array.from({ length: values.length }, (_, i) => numberToFloat16(values[i] as number));
}

/** Exact float32 values of the logits (CPU path and references). */
export function decodeLogits(logits: LogitsInput, dtype: LogitsDtype): Float32Array | Float64Array {
  if (dtype === 'float32') return logits as Float32Array | Float64Array;
  const src = logits as Uint16Array;
  const out = new Float32Array(src.length);
  if (dtype === 'bfloat16') {
    const u = new Uint32Array(out.buffer);
    for (let i = 0; i < src.length; i++) u[i] = (src[i] as number) << 16;
  } else {
    for (let i = 0; i < src.length; i++) out[i] = float16ToNumber(src[i] as number);
  }
  return out;
}

/**
 * WGSL declarations for reading logit `i` as float32 bits through `load_bits(i)`:
 * `binding` is the storage binding; `f16` uses `shader-f16` for float16.
 */
export function wgslLogitsLoader(
  dtype: LogitsDtype,
  binding: number,
  f16: boolean,
): { enable: string; decl: string } {
  if (dtype === 'float32') {
    return {
      enable: '',
      decl: `@group(0) @binding(${binding}) var<storage, read> logits: array<f32>;
fn load_bits(i: u32) -> u32 { return bitcast<u32>(logits[i]); }`,
    };
  }
  if (dtype === 'float16' && f16) {
    return {
      enable: 'enable f16;',
      decl: `@group(0) @binding(${binding}) var<storage, read> logits: array<f16>;
fn load_bits(i: u32) -> u32 {
  let h = logits[i];
  // ±inf / NaN: classify from the half's own bits (a finite-math conversion may lose them)
  let hb = (bitcast<u32>(vec2<f16>(h, h)) & 0xffffu);
  if ((hb & 0x7c00u) == 0x7c00u) {
    if ((hb & 0x3ffu) != 0u) { return 0x7fc00000u; }
    return ((hb & 0x8000u) << 16u) | 0x7f800000u;
  }
  return bitcast<u32>(f32(h));
}`,
    };
  }
  if (dtype === 'float16') {
    return {
      enable: '',
      decl: `@group(0) @binding(${binding}) var<storage, read> logits: array<u32>;
fn load_bits(i: u32) -> u32 {
  let w = logits[i >> 1u];
  var hb = w & 0xffffu;
  if ((i & 1u) == 1u) { hb = w >> 16u; }
  if ((hb & 0x7c00u) == 0x7c00u) {
    if ((hb & 0x3ffu) != 0u) { return 0x7fc00000u; }
    return ((hb & 0x8000u) << 16u) | 0x7f800000u;
  }
  return bitcast<u32>(unpack2x16float(hb).x);
}`,
    };
  }
  return {
    enable: '',
    decl: `@group(0) @binding(${binding}) var<storage, read> logits: array<u32>;
fn load_bits(i: u32) -> u32 {
  let w = logits[i >> 1u];
  if ((i & 1u) == 0u) { return w << 16u; }
  return w & 0xffff0000u;
}`,
  };
}
