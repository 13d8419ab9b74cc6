"""Python half of scripts/bench-kit.ts: the same deterministic inputs, timing and report format.

A peer script is started as `python3 peer.py <args...> <outDir|->` by `alternatingRounds`; it prints
one JSON line {"seconds": {...}, "threads": {...}, "version": "..."} (or {"skipped": reason}) and,
when outDir is not "-", writes each output as raw little-endian float64 `<outDir>/<name>.f64`.
"""
import json
import os
import time

import numpy as np


def hash_uniform(n, seed):
    """Same values as bench-kit.ts `hashUniform`: ((i + seed*2^20) * 2654435761 mod 2^32) / 2^32."""
    i = np.arange(n, dtype=np.uint64) + np.uint64(seed * 1048576)
    return ((i * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)).astype(np.float64) / 4294967296.0


def median_seconds(fn, reps=5, warmup=1):
    for _ in range(warmup):
        fn()
    xs = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        xs.append(time.perf_counter() - t0)
    xs.sort()
    m = len(xs) // 2
    return xs[m] if len(xs) % 2 else 0.5 * (xs[m - 1] + xs[m])


def write_outputs(out_dir, outputs):
    if out_dir == "-":
        return
    os.makedirs(out_dir, exist_ok=True)
    for name, arr in outputs.items():
        np.ascontiguousarray(np.asarray(arr, dtype="<f8").reshape(-1)).tofile(os.path.join(out_dir, name + ".f64"))


def report(seconds, threads, version):
    print(json.dumps({"seconds": seconds, "threads": threads, "version": version}))


def skip(reason):
    print(json.dumps({"skipped": reason}))
