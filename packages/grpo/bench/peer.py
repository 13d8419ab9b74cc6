"""NumPy peer for the @judgekit/grpo benchmark: the same math, timed in the same run.

Prints one JSON object on its last line: tokens/s for (1) verl PPO clip + k3 KL loss forward and
backward on 64 x 2048 tokens (float64), (2) log-prob + entropy from float32 logits 8 x 512 x 32000.
"""
import json
import sys
import time

import numpy as np


def time_it(fn, min_seconds=1.0, min_reps=3):
    fn()
    samples = []
    start = time.perf_counter()
    while len(samples) < min_reps or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return samples[len(samples) // 2]


def actor_loss(logp, old, ref, adv, mask, lo=0.8, hi=1.2, c=3.0, kl_coef=1e-3):
    x = logp - old
    delta = np.clip(x, -20.0, 20.0)
    dd = (np.abs(x) <= 20.0)
    r = np.exp(delta)
    rc = np.clip(r, lo, hi)
    l1 = -adv * r
    l2 = -adv * rc
    c1 = np.maximum(l1, l2)
    l3 = -adv * c
    neg = adv < 0
    pg = np.where(neg, np.minimum(l3, c1), c1)
    g1 = -adv * r * dd
    g2 = np.where((r >= lo) & (r <= hi), g1, 0.0)
    g = np.where(l1 > l2, g1, np.where(l2 > l1, g2, 0.5 * (g1 + g2)))
    g = np.where(neg & (l3 < c1), 0.0, np.where(neg & (l3 == c1), 0.5 * g, g))
    n = mask.sum()
    pg_loss = np.where(mask != 0, pg, 0.0).dot(mask) / n  # token-mean, masked slots protected
    kl = np.clip(ref - logp, -20.0, 20.0)
    e = np.exp(kl)
    k3 = e - kl - 1.0
    kpass = (np.abs(ref - logp) <= 20.0) & (k3 <= 10.0)
    k3 = np.clip(k3, -10.0, 10.0)
    kl_loss = k3.dot(mask) / n
    w = mask / n
    grad = (g + kl_coef * np.where(kpass, 1.0 - e, 0.0)) * w
    return pg_loss + kl_coef * kl_loss, grad


def logp_entropy(logits, labels, temperature, chunk=512):
    rows = logits.shape[0]
    lp = np.empty(rows, dtype=np.float64)
    ent = np.empty(rows, dtype=np.float64)
    inv_t = np.float32(1.0 / temperature)
    for s in range(0, rows, chunk):
        z = logits[s:s + chunk] * inv_t
        m = z.max(axis=1, keepdims=True)
        d = z - m
        e = np.exp(d)
        se = e.sum(axis=1)
        ls = np.log(se)
        lp[s:s + chunk] = np.take_along_axis(d, labels[s:s + chunk, None], axis=1)[:, 0] - ls
        ent[s:s + chunk] = ls - (e * d).sum(axis=1) / se
    return lp, ent


def main():
    rng = np.random.default_rng(0)
    B, T = 64, 2048
    old = rng.standard_normal(B * T) - 2.0
    logp = old + 0.3 * rng.standard_normal(B * T)
    ref = old + 0.3 * rng.standard_normal(B * T)
    adv = np.repeat(rng.standard_normal(B), T)
    mask = np.ones(B * T)
    mask[:: 7] = 0.0
    s1 = time_it(lambda: actor_loss(logp, old, ref, adv, mask))

    R, V = 8 * 512, 32000
    logits = rng.standard_normal((R, V), dtype=np.float32) * np.float32(3.0)
    labels = rng.integers(0, V, size=R)
    s2 = time_it(lambda: logp_entropy(logits, labels, 0.7), min_seconds=2.0)
    print(json.dumps({"clip_k3_tokens_per_s": B * T / s1, "logp_entropy_tokens_per_s": R / s2,
                      "numpy": np.__version__}))


if __name__ == "__main__":
    sys.exit(main())
