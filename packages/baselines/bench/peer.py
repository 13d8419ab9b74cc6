"""NumPy peer for bench/run.ts: the same DPO (sigmoid), Bradley-Terry and AdamW math, float64.

Prints one JSON line: {"dpo": pairs/s, "bt": pairs/s, "adamw": params/s}.
"""
import json
import sys
import time

import numpy as np


def time_it(fn, min_seconds=1.0, min_reps=5, warmup=2):
    for _ in range(warmup):
        fn()
    samples = []
    start = time.perf_counter()
    while len(samples) < min_reps or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    return samples[len(samples) // 2]


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def main():
    n_pairs = int(sys.argv[1])
    n_params = int(sys.argv[2])
    rng = np.random.default_rng(0)
    pc, pr, rc, rr = (rng.normal(-50, 10, n_pairs) for _ in range(4))
    beta = 0.1

    # Outputs on both sides: per-pair losses, mean loss, the 4 input gradients, the 2 reward arrays.
    # The gradient pairs are equal up to sign; NumPy returns one array for each sign (2 arrays),
    # where judgekit fills 4 separate buffers.
    def dpo():
        x = beta * ((pc - pr) - (rc - rr))
        losses = -log_sigmoid(x)
        loss = losses.mean()
        g = -beta * sigmoid(-x) / n_pairs
        ng = -g
        chosen_rewards = beta * (pc - rc)
        rejected_rewards = beta * (pr - rr)
        return loss, losses, g, ng, ng, g, chosen_rewards, rejected_rewards

    a, b = rng.normal(size=n_pairs), rng.normal(size=n_pairs)

    # Outputs on both sides: mean loss, accuracy, mean margin, the 2 input gradients.
    def bt():
        d = a - b
        loss = (-log_sigmoid(d)).mean()
        accuracy = (d > 0).mean()
        margin = d.mean()
        s = sigmoid(-d) / n_pairs
        return loss, accuracy, margin, -s, s

    p = rng.normal(size=n_params)
    grad = rng.normal(size=n_params)
    m = np.zeros(n_params)
    v = np.zeros(n_params)
    state = {"t": 0}
    lr, b1, b2, eps, wd = 1e-3, 0.9, 0.999, 1e-8, 0.01

    def adamw():
        state["t"] += 1
        t = state["t"]
        np.multiply(p, 1 - lr * wd, out=p)
        np.multiply(m, b1, out=m)
        m[...] += (1 - b1) * grad
        np.multiply(v, b2, out=v)
        v[...] += (1 - b2) * grad * grad
        denom = np.sqrt(v) / np.sqrt(1 - b2**t) + eps
        p[...] -= (lr / (1 - b1**t)) * m / denom

    out = {
        "dpo": n_pairs / time_it(dpo),
        "bt": n_pairs / time_it(bt),
        "adamw": n_params / time_it(adamw),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
