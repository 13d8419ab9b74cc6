/**
 * A small trainable reward head over fixed features: linear (D → 1) or a one-hidden-layer MLP
 * (D → H → ReLU → 1), the shape of the JudgeLRM CLS-RM / Bradley–Terry head
 * (`Linear(H, H/2)–ReLU–Dropout–Linear(H/2, 1)`, baseline/src/train_reward_model.py; dropout is
 * left out so training stays deterministic). Parameters live in one flat Float64Array so AdamW
 * updates them in one loop; checkpoints are safetensors or JSON.
 */

import {
  createRng,
  DataFormatError,
  InvalidArgumentError,
  type Rng,
  ShapeMismatchError,
} from '@judgekit/core';
import { decodeSafetensors, encodeSafetensors, type NamedTensor } from './safetensors.js';

/** Shape of a reward head. */
export interface RewardHeadConfig {
  /** Feature dimension D. */
  inputDim: number;
  /** Hidden width H of the MLP; 0 or absent = linear head. */
  hiddenDim?: number;
}

/** Serialised head (JSON checkpoint). */
export interface RewardHeadJson {
  format: 'judgekit-reward-head';
  version: 1;
  inputDim: number;
  hiddenDim: number;
  /** Flat parameters in {@link RewardHead.params} layout. */
  params: number[];
}

/** Options of {@link RewardHead.toSafetensors}. */
export interface HeadCheckpointOptions {
  /** Tensor-name prefix (default `reward_head`, as the JudgeLRM baselines). */
  prefix?: string;
  /** Storage dtype (default F64, so a reload is bit-identical). */
  dtype?: 'F32' | 'F64';
  /** Extra string metadata. */
  metadata?: Record<string, string>;
}

/**
 * Linear / MLP reward head. Layout of {@link params}:
 * - linear: `weight` [1, D], `bias` [1];
 * - MLP: `0.weight` [H, D], `0.bias` [H], `3.weight` [1, H], `3.bias` [1] (PyTorch `nn.Sequential`
 *   indices of Linear–ReLU–Dropout–Linear).
 */
export class RewardHead {
  readonly inputDim: number;
  readonly hiddenDim: number;
  /** All parameters, flat. */
  readonly params: Float64Array;
  /** Gradient accumulator, same layout; {@link backward} adds to it. */
  readonly grads: Float64Array;
  private hidden = new Float64Array(0);

  constructor(config: RewardHeadConfig, params?: Float64Array) {
    const { inputDim } = config;
    const hiddenDim = config.hiddenDim ?? 0;
    if (!Number.isInteger(inputDim) || inputDim < 1)
      throw new InvalidArgumentError('inputDim', `must be a positive integer, got ${inputDim}`);
    if (!Number.isInteger(hiddenDim) || hiddenDim < 0)
      throw new InvalidArgumentError('hiddenDim', `must be an integer ≥ 0, got ${hiddenDim}`);
    this.inputDim = inputDim;
    this.hiddenDim = hiddenDim;
    const n = RewardHead.paramCount(config);
    if (params && params.length !== n)
      throw new ShapeMismatchError('reward head params', [n], [params.length]);
    this.params = params ?? new Float64Array(n);
    this.grads = new Float64Array(n);
  }

  /** Number of parameters of a head of this shape. */
  static paramCount(config: RewardHeadConfig): number {
    const d = config.inputDim;
    const h = config.hiddenDim ?? 0;
    return h === 0 ? d + 1 : h * d + h + h + 1;
  }

  /**
   * A new head initialised like PyTorch `nn.Linear` (weights and biases U(−1/√fan_in, 1/√fan_in)),
   * drawing from `seed` (a seed or an `Rng` from core's `createRng`).
   */
  static create(config: RewardHeadConfig, seed: number | string | Rng = 0): RewardHead {
    const rng = typeof seed === 'object' ? seed : createRng(seed);
    const head = new RewardHead(config);
    const d = head.inputDim;
    const h = head.hiddenDim;
    const p = head.params;
    if (h === 0) {
      rng.fillUniform(p, -1 / Math.sqrt(d), 1 / Math.sqrt(d));
    } else {
      const b1 = 1 / Math.sqrt(d);
      const b2 = 1 / Math.sqrt(h);
      rng.fillUniform(p.subarray(0, h * d + h), -b1, b1);
      rng.fillUniform(p.subarray(h * d + h), -b2, b2);
    }
    return head;
  }

  /** Named views into {@link params} (PyTorch names without prefix) with their shapes. */
  tensors(source: Float64Array = this.params): Record<string, { data: Float64Array; shape: number[] }> {
    const d = this.inputDim;
    const h = this.hiddenDim;
    if (h === 0) {
      return {
        weight: { data: source.subarray(0, d), shape: [1, d] },
        bias: { data: source.subarray(d, d + 1), shape: [1] },
      };
    }
    return {
      '0.weight': { data: source.subarray(0, h * d), shape: [h, d] },
      '0.bias': { data: source.subarray(h * d, h * d + h), shape: [h] },
      '3.weight': { data: source.subarray(h * d + h, h * d + 2 * h), shape: [1, h] },
      '3.bias': { data: source.subarray(h * d + 2 * h, h * d + 2 * h + 1), shape: [1] },
    };
  }

  /** Weight-decay mask excluding biases (the HF Trainer convention): 1 = decay. */
  decayMask(): Uint8Array {
    const mask = new Uint8Array(this.params.length).fill(1);
    for (const [name, t] of Object.entries(this.tensors())) {
      if (name.endsWith('bias')) {
        const start = t.data.byteOffset / 8 - this.params.byteOffset / 8;
        mask.fill(0, start, start + t.data.length);
      }
    }
    return mask;
  }

  /** Set {@link grads} to zero. */
  zeroGrad(): void {
    this.grads.fill(0);
  }

  /**
   * Rewards for `n` feature rows (`features` row-major [n, D]); returns [n] (or fills `out`).
   * The MLP keeps its hidden activations for the next {@link backward} call on the same rows.
   */
  forward(features: ArrayLike<number>, n: number, out?: Float64Array): Float64Array {
    const d = this.inputDim;
    const h = this.hiddenDim;
    if (features.length !== n * d) throw new ShapeMismatchError('features', [n, d], [features.length]);
    const r = out ?? new Float64Array(n);
    if (r.length !== n) throw new ShapeMismatchError('out', [n], [r.length]);
    const p = this.params;
    if (h === 0) {
      const b = p[d]!;
      for (let i = 0; i < n; i++) {
        let s = b;
        const o = i * d;
        for (let k = 0; k < d; k++) s += p[k]! * features[o + k]!;
        r[i] = s;
      }
      return r;
    }
    if (this.hidden.length < n * h) this.hidden = new Float64Array(n * h);
    const hid = this.hidden;
    const b1 = h * d;
    const w2 = b1 + h;
    const b2 = p[w2 + h]!;
    for (let i = 0; i < n; i++) {
      const o = i * d;
      let s2 = b2;
      for (let j = 0; j < h; j++) {
        let s = p[b1 + j]!;
        const wo = j * d;
        for (let k = 0; k < d; k++) s += p[wo + k]! * features[o + k]!;
        const a = Math.max(s, 0);
        hid[i * h + j] = a;
        s2 += p[w2 + j]! * a;
      }
      r[i] = s2;
    }
    return r;
  }

  /**
   * Accumulate into {@link grads} the gradient of Σ_i gradRewards[i]·reward_i for the rows last
   * passed to {@link forward} (same `features`, same `n`).
   */
  backward(features: ArrayLike<number>, n: number, gradRewards: ArrayLike<number>): void {
    const d = this.inputDim;
    const h = this.hiddenDim;
    if (features.length !== n * d) throw new ShapeMismatchError('features', [n, d], [features.length]);
    if (gradRewards.length !== n) throw new ShapeMismatchError('gradRewards', [n], [gradRewards.length]);
    const g = this.grads;
    const p = this.params;
    if (h === 0) {
      for (let i = 0; i < n; i++) {
        const gi = gradRewards[i]!;
        if (gi === 0) continue;
        const o = i * d;
        for (let k = 0; k < d; k++) g[k] = g[k]! + gi * features[o + k]!;
        g[d] = g[d]! + gi;
      }
      return;
    }
    if (this.hidden.length < n * h)
      throw new InvalidArgumentError('backward', 'call forward on the same rows first');
    const hid = this.hidden;
    const b1 = h * d;
    const w2 = b1 + h;
    for (let i = 0; i < n; i++) {
      const gi = gradRewards[i]!;
      if (gi === 0) continue;
      const o = i * d;
      g[w2 + h] = g[w2 + h]! + gi;
      for (let j = 0; j < h; j++) {
        const a = hid[i * h + j]!;
        g[w2 + j] = g[w2 + j]! + gi * a;
        if (a <= 0) continue; // ReLU: zero gradient at and below 0 (as torch)
        const gh = gi * p[w2 + j]!;
        g[b1 + j] = g[b1 + j]! + gh;
        const wo = j * d;
        for (let k = 0; k < d; k++) g[wo + k] = g[wo + k]! + gh * features[o + k]!;
      }
    }
  }

  /** Safetensors bytes of the head (names `${prefix}.weight` … ; metadata records the shape). */
  toSafetensors(options: HeadCheckpointOptions = {}): Uint8Array {
    const prefix = options.prefix ?? 'reward_head';
    const dtype = options.dtype ?? 'F64';
    const tensors: Record<string, NamedTensor> = {};
    for (const [name, t] of Object.entries(this.tensors())) {
      tensors[prefix ? `${prefix}.${name}` : name] = { data: t.data, shape: t.shape, dtype };
    }
    return encodeSafetensors(tensors, {
      ...options.metadata,
      format: 'judgekit-reward-head',
      input_dim: String(this.inputDim),
      hidden_dim: String(this.hiddenDim),
      prefix,
    });
  }

  /**
   * Load a head from safetensors bytes written by {@link toSafetensors} or by PyTorch (then pass
   * `config` and the `prefix` of the head's tensors; F32/BF16 values are widened).
   */
  static fromSafetensors(
    bytes: Uint8Array,
    options: { file?: string; prefix?: string; config?: RewardHeadConfig } = {},
  ): RewardHead {
    const file = options.file ?? '<safetensors>';
    const st = decodeSafetensors(bytes, file);
    const md = st.metadata;
    const prefix = options.prefix ?? md.prefix ?? 'reward_head';
    let config = options.config;
    if (!config) {
      const d = Number(md.input_dim);
      const h = Number(md.hidden_dim);
      if (!Number.isInteger(d) || d < 1 || !Number.isInteger(h) || h < 0) {
        throw new DataFormatError(
          { file, field: '__metadata__' },
          'no input_dim/hidden_dim metadata; pass options.config',
        );
      }
      config = { inputDim: d, hiddenDim: h };
    }
    const head = new RewardHead(config);
    for (const [name, t] of Object.entries(head.tensors())) {
      const key = prefix ? `${prefix}.${name}` : name;
      const src = st.tensors[key];
      if (!src)
        throw new DataFormatError(
          { file, field: key },
          `tensor missing (have: ${Object.keys(st.tensors).join(', ') || 'none'})`,
        );
      if (src.shape.length !== t.shape.length || src.shape.some((x, i) => x !== t.shape[i])) {
        throw new DataFormatError(
          { file, field: key },
          `shape [${src.shape.join(', ')}], expected [${t.shape.join(', ')}]`,
        );
      }
      t.data.set(src.data);
    }
    return head;
  }

  /** JSON checkpoint (float64 values survive `JSON.stringify` exactly). */
  toJSON(): RewardHeadJson {
    return {
      format: 'judgekit-reward-head',
      version: 1,
      inputDim: this.inputDim,
      hiddenDim: this.hiddenDim,
      params: Array.from(this.params),
    };
  }

  /** Head from a {@link toJSON} object; `file` names the source in errors. */
  static fromJSON(json: unknown, file = '<json>'): RewardHead {
    const j = json as Partial<RewardHeadJson> | null;
    if (typeof j !== 'object' || j === null || j.format !== 'judgekit-reward-head') {
      throw new DataFormatError({ file, field: 'format' }, 'not a judgekit reward-head checkpoint');
    }
    if (!Array.isArray(j.params) || !j.params.every((x) => typeof x === 'number')) {
      throw new DataFormatError({ file, field: 'params' }, 'params must be an array of numbers');
    }
    const config = { inputDim: j.inputDim as number, hiddenDim: j.hiddenDim as number };
    let n: number;
    try {
      n = RewardHead.paramCount(config);
      new RewardHead(config);
    } catch (e) {
      throw new DataFormatError({ file, field: 'inputDim' }, (e as Error).message);
    }
    if (j.params.length !== n)
      throw new DataFormatError({ file, field: 'params' }, `has ${j.params.length} values, expected ${n}`);
    return new RewardHead(config, Float64Array.from(j.params));
  }
}

/** Write a head checkpoint: `.json` paths get JSON, anything else safetensors (node only). */
export async function saveCheckpoint(
  path: string,
  head: RewardHead,
  options: HeadCheckpointOptions = {},
): Promise<void> {
  const { writeFile } = await import('node:fs/promises');
  if (path.endsWith('.json')) await writeFile(path, JSON.stringify(head.toJSON()));
  else await writeFile(path, head.toSafetensors(options));
}

/**
 * Read a head checkpoint written by {@link saveCheckpoint} (or a PyTorch safetensors file, with
 * `config` and `prefix`). A malformed file raises `DataFormatError` naming the file.
 */
export async function loadCheckpoint(
  path: string,
  options: { prefix?: string; config?: RewardHeadConfig } = {},
): Promise<RewardHead> {
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile(path);
  if (path.endsWith('.json')) {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      throw new DataFormatError({ file: path }, `not valid JSON (${(e as Error).message})`);
    }
    return RewardHead.fromJSON(json, path);
  }
  return RewardHead.fromSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    ...options,
    file: path,
  });
}
