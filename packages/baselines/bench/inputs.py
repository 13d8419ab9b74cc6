"""Bench inputs, bit-identical to inputs.ts."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))
from bench_kit import hash_uniform  # noqa: E402

PAIRS = (4096, 1 << 20)
PARAMS = 1 << 20


def dpo_inputs(n):
    return tuple(-50.0 + 40.0 * (hash_uniform(n, s) - 0.5) for s in (11, 12, 13, 14))


def bt_inputs(n):
    return tuple(4.0 * (hash_uniform(n, s) - 0.5) for s in (21, 22))


def adamw_inputs(n):
    return hash_uniform(n, 31) - 0.5, 2.0 * (hash_uniform(n, 32) - 0.5)
