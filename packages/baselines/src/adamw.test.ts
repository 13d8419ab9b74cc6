import { describe, expect, it } from 'vitest';
import { AdamW, clipGradNorm, lrSchedule } from './index.js';

describe('AdamW (torch.optim.AdamW arithmetic)', () => {
  it('first step moves each parameter by lr·g/(|g| + ε) after decoupled decay', () => {
    const p = Float64Array.from([1, -2, 0.5]);
    const g = Float64Array.from([0.3, -4, 0]);
    const opt = new AdamW(p, { lr: 0.1, weightDecay: 0.5 });
    opt.step(g);
    const expected = [
      1 * (1 - 0.05) - (0.1 * 0.3) / (0.3 + 1e-8),
      -2 * 0.95 + (0.1 * 4) / (4 + 1e-8),
      0.5 * 0.95,
    ];
    for (let i = 0; i < 3; i++) expect(p[i]).toBeCloseTo(expected[i]!, 14);
  });
  it('matches a direct re-statement of the bias-corrected update over several steps', () => {
    const p = Float64Array.from([0.2, -0.7]);
    const q = Float64Array.from(p);
    const opt = new AdamW(p, {
      lr: 0.01,
      betas: [0.8, 0.99],
      eps: 1e-6,
      weightDecay: 0.1,
      decayMask: Uint8Array.from([1, 0]),
    });
    const m = [0, 0];
    const v = [0, 0];
    for (let t = 1; t <= 5; t++) {
      const g = Float64Array.from([Math.sin(t), Math.cos(t) * 3]);
      const lr = 0.01 * (t / 5);
      opt.step(g, lr);
      for (let i = 0; i < 2; i++) {
        if (i === 0) q[i] = q[i]! * (1 - lr * 0.1);
        m[i] = 0.8 * m[i]! + 0.2 * g[i]!;
        v[i] = 0.99 * v[i]! + 0.01 * g[i]! * g[i]!;
        const mh = m[i]! / (1 - 0.8 ** t);
        const vh = v[i]! / (1 - 0.99 ** t);
        q[i] = q[i]! - (lr * mh) / (Math.sqrt(vh) + 1e-6);
      }
    }
    for (let i = 0; i < 2; i++) expect(p[i]).toBeCloseTo(q[i]!, 12);
    expect(opt.stepCount).toBe(5);
  });
  it('validates its options', () => {
    expect(() => new AdamW(new Float64Array(2), { betas: [1, 0.9] })).toThrow(/betas/);
    expect(() => new AdamW(new Float64Array(2)).step(new Float64Array(3))).toThrow(/Shape/);
  });
});

describe('clipGradNorm', () => {
  it('scales to max_norm/(norm + 1e-6) only above the limit', () => {
    const g = Float64Array.from([3, 4]);
    expect(clipGradNorm(g, 1)).toBe(5);
    expect(g[0]).toBeCloseTo((3 * 1) / (5 + 1e-6), 14);
    const h = Float64Array.from([0.3, 0.4]);
    clipGradNorm(h, 1);
    expect(Array.from(h)).toEqual([0.3, 0.4]);
  });
});

describe('lrSchedule (HF schedulers)', () => {
  it('cosine with warmup', () => {
    const f = lrSchedule({ kind: 'cosine', totalSteps: 10, warmupSteps: 2 });
    expect([f(0), f(1), f(2), f(6), f(10)].map((x) => +x.toFixed(12))).toEqual([0, 0.5, 1, 0.5, 0]);
  });
  it('linear with warmup ratio (ceil) and constant', () => {
    const f = lrSchedule({ kind: 'linear', totalSteps: 10, warmupRatio: 0.15 });
    expect(f(1)).toBe(0.5);
    expect(f(6)).toBeCloseTo(0.5, 12);
    expect(lrSchedule({ kind: 'constant', totalSteps: 5 })(3)).toBe(1);
  });
});
