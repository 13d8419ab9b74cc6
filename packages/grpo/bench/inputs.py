"""Bench inputs, bit-identical to inputs.ts (see scripts/bench_kit.py `hash_uniform`)."""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))
from bench_kit import hash_uniform  # noqa: E402

TEMPERATURE = 0.7


def actor_inputs(rows, cols):
    n = rows * cols
    u1, u2, u3 = hash_uniform(n, 1), hash_uniform(n, 2), hash_uniform(n, 3)
    ua = hash_uniform(rows, 4)
    old = -4.0 * u1 - 0.5
    logp = old + 0.6 * (u2 - 0.5)
    ref = old + 0.6 * (u3 - 0.5)
    adv = np.repeat(2.0 * ua - 1.0, cols)
    mask = np.where(np.arange(n) % 7 == 0, 0.0, 1.0)
    return old, logp, ref, adv, mask


def logits_inputs(rows, vocab):
    n = rows * vocab
    logits = np.empty(n, dtype=np.float32)
    chunk = 1 << 22
    for s in range(0, n, chunk):
        e = min(n, s + chunk)
        i = np.arange(s, e, dtype=np.uint64) + np.uint64(5 * 1048576)
        u = ((i * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)).astype(np.float64) / 4294967296.0
        logits[s:e] = (u - 0.5) * 12.0
    labels = (np.arange(rows, dtype=np.int64) * 7919) % vocab
    return logits.reshape(rows, vocab), labels
