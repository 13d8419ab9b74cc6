/**
 * Seeded pseudo-random numbers that give the same stream for the same seed on every platform.
 *
 * The generator is xoshiro128** 1.1 (Blackman & Vigna, https://prng.di.unimi.it/xoshiro128starstar.c),
 * whose state is four 32-bit words updated with 32-bit integer operations only (`Math.imul`, `>>>`),
 * so the stream does not depend on the JavaScript engine or CPU. The state is filled from the seed
 * with SplitMix32. Not for cryptography.
 */

import { InvalidArgumentError } from './errors.js';

/** A seed: a 32-bit integer (other numbers are reduced modulo 2^32) or any string (hashed with FNV-1a). */
export type Seed = number | string;

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

function seedToUint32(seed: Seed): number {
  if (typeof seed === 'string') {
    let h = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) {
      h ^= seed.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
  }
  if (!Number.isFinite(seed)) throw new InvalidArgumentError('seed', `must be a finite number, got ${seed}`);
  const truncated = Math.trunc(seed);
  return (((truncated % TWO_POW_32) + TWO_POW_32) % TWO_POW_32) >>> 0;
}

/** SplitMix32 step (used for seeding). Returns `[output, nextState]`. */
function splitMix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) >>> 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [z >>> 0, next];
}

const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b];

/** A seeded random stream. Create with {@link createRng}. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined;

  /** Build from an explicit xoshiro128 state (four uint32 words, not all zero). */
  constructor(state: readonly [number, number, number, number]) {
    const [a, b, c, d] = state.map((x) => x >>> 0) as [number, number, number, number];
    if ((a | b | c | d) === 0)
      throw new InvalidArgumentError('state', 'xoshiro128 state must not be all zero');
    this.s0 = a;
    this.s1 = b;
    this.s2 = c;
    this.s3 = d;
  }

  /** The current state, to save and restore a stream position. */
  get state(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** Next uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits (two draws). */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** Uniform integer in [0, n), without modulo bias. `n` must be an integer in [1, 2^32]. */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new InvalidArgumentError('n', `must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** Standard normal draw (Box–Muller, the second value of each pair is kept for the next call). */
  nextNormal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal;
      this.spareNormal = undefined;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fill an array with uniform floats in [low, high). */
  fillUniform<T extends Float64Array | Float32Array>(out: T, low = 0, high = 1): T {
    const span = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + span * this.nextFloat();
    return out;
  }

  /** Fill an array with normal draws of the given mean and standard deviation. */
  fillNormal<T extends Float64Array | Float32Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.nextNormal();
    return out;
  }

  /** Shuffle an array in place (Fisher–Yates) and return it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** `count` indices drawn uniformly from [0, n) with replacement (bootstrap resampling). */
  sampleIndices(n: number, count: number, out: Uint32Array = new Uint32Array(count)): Uint32Array {
    for (let i = 0; i < count; i++) out[i] = this.nextInt(n);
    return out;
  }

  /** A uniformly chosen element. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new InvalidArgumentError('items', 'cannot choose from an empty array');
    return items[this.nextInt(items.length)]!;
  }

  /**
   * Split off an independent stream: returns a generator at this stream's current position and
   * advances this one by 2^64 draws (the xoshiro128 jump), so the two never overlap in practice.
   */
  fork(): Rng {
    const child = new Rng(this.state);
    this.jump();
    return child;
  }

  /** Advance the stream by 2^64 draws. */
  jump(): void {
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (const word of JUMP) {
      for (let b = 0; b < 32; b++) {
        if ((word >>> b) & 1) {
          t0 ^= this.s0;
          t1 ^= this.s1;
          t2 ^= this.s2;
          t3 ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = t0 >>> 0;
    this.s1 = t1 >>> 0;
    this.s2 = t2 >>> 0;
    this.s3 = t3 >>> 0;
    this.spareNormal = undefined;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Create a seeded generator. The same seed gives the same stream everywhere. */
export function createRng(seed: Seed): Rng {
  let s = seedToUint32(seed);
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [out, next] = splitMix32(s);
    words.push(out);
    s = next;
  }
  return new Rng(words as [number, number, number, number]);
}
