"""NumPy peer of bench/run.ts: the same maths on the same shapes, float32 storage.

1. token log-prob + entropy: max-shifted log-sum-exp, gather, entropy = lse - sum(p*x).
2. verl PPO clip (dual clip) + low_var_kl loss, token-mean, forward and backward w.r.t. logp.
3. TRL sigmoid DPO loss (beta 0.1, label smoothing 0.1), per pair forward + the four gradients +
   rewards, stable softplus max(x, 0) + log1p(exp(-|x|)).
Prints one JSON line: seconds per call for each.
"""
import json, sys, time
import numpy as np

R, V, B, T, P = (int(a) for a in sys.argv[1:6])
rng = np.random.default_rng(0)
x = (rng.standard_normal((R, V)) * 3).astype(np.float32)
lab = (np.arange(R) * 7919) % V

def logprob_entropy():
    m = x.max(axis=1, keepdims=True)
    d = x - m
    e = np.exp(d)
    s = e.sum(axis=1)
    ls = np.log(s)
    logp = d[np.arange(R), lab] - ls
    ent = ls - (e * d).sum(axis=1) / s
    return logp, ent

lp = (-np.abs(rng.standard_normal((B, T))) * 3).astype(np.float32)
old = (lp + rng.standard_normal((B, T)) * 0.3).astype(np.float32)
ref = (lp + rng.standard_normal((B, T)) * 0.5).astype(np.float32)
adv = np.repeat(rng.standard_normal((B, 1)), T, axis=1).astype(np.float32)
lens = rng.integers(1, T + 1, size=B)
mask = (np.arange(T)[None, :] < lens[:, None]).astype(np.float32)
lo, hi, c, coef = 0.8, 1.2, 3.0, 0.001

def grpo_loss():
    x_ = lp - old
    delta = np.clip(x_, -20, 20)
    r = np.exp(delta)
    rc = np.clip(r, lo, hi)
    l1 = -adv * r
    l2 = -adv * rc
    c1 = np.maximum(l1, l2)
    l3 = -adv * c
    loss = np.where(adv < 0, np.minimum(l3, c1), c1)
    g1 = np.where(np.abs(x_) <= 20, -adv * r, 0)
    g2 = np.where((r >= lo) & (r <= hi), g1, 0)
    g = np.where(l1 > l2, g1, np.where(l2 > l1, g2, 0.5 * (g1 + g2)))
    g = np.where((adv < 0) & (l3 < c1), 0, g)
    n = mask.sum()
    w = mask / n
    dk = ref - lp
    kc = np.clip(dk, -20, 20)
    ek = np.exp(kc)
    v = ek - kc - 1
    kl = np.clip(v, -10, 10)
    gk = coef * np.where((np.abs(dk) <= 20) & (np.abs(v) <= 10), 1 - ek, 0) * w
    total = (loss * mask).sum() / n + coef * (kl * mask).sum() / n
    return total, g * w + gk, -gk

pc = (-5 - rng.random(P) * 295).astype(np.float32)
pr = (-5 - rng.random(P) * 295).astype(np.float32)
rc = (pc + rng.standard_normal(P) * 3).astype(np.float32)
rr = (pr + rng.standard_normal(P) * 3).astype(np.float32)
beta, eps = np.float32(0.1), np.float32(0.1)

def dpo_loss():
    a = pc - rc
    b = pr - rr
    x = beta * (a - b)
    e = np.exp(-np.abs(x))
    l1 = np.log1p(e)
    d = 1 + e
    s_neg = np.where(x > 0, e, 1) / d
    s_pos = np.where(x > 0, 1, e) / d
    losses = (1 - eps) * (np.maximum(-x, 0) + l1) + eps * (np.maximum(x, 0) + l1)
    g = beta * (eps * s_pos - (1 - eps) * s_neg) / P
    return losses.astype(np.float64).sum() / P, losses, g, -g, -g, g, beta * a, beta * b

def bench(f, min_s=1.0):
    f(); f()
    ts = []
    t0 = time.perf_counter()
    while len(ts) < 5 or time.perf_counter() - t0 < min_s:
        a = time.perf_counter(); f(); ts.append(time.perf_counter() - a)
    ts.sort()
    return ts[len(ts) // 2]

print(json.dumps({"logprob_entropy_s": bench(logprob_entropy), "grpo_loss_s": bench(grpo_loss),
                  "dpo_loss_s": bench(dpo_loss), "numpy": np.__version__}))
