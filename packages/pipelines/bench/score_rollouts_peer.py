"""NumPy peer for the @judgekit/pipelines scoreRollouts benchmark.

The same pipeline as `scoreRollouts(rollouts, {convention: 'verl'})`, in Python + NumPy: the JudgeLRM
reward (the rewards benchmark's re-statement of judgelrm.py, without its printing), verl's
`compute_grpo_outcome_advantage`, `compute_policy_loss_vanilla` (clip 0.2, dual clip c = 3,
token-mean) plus the `low_var_kl` loss (coefficient 0.001), and the gradient of the loss with
respect to the current log-probs, written out by hand. Reads the batch from the directory given as
argv[1] (texts.json, *.f64 arrays), times it, prints one JSON line with the figures and results.
"""
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "rewards", "bench"))
import judgelrm_reward_peer as jp  # noqa: E402

jp.LOUD = False


def pipeline(texts, truths, groups, lp, old, ref, mask, max_len):
    B, T = lp.shape
    lengths = mask.sum(axis=1).astype(np.int64)
    rewards = np.array([jp.compute_score(s, {"solution_text_format": np.array([g])}, response_length=int(n),
                                         max_response_length=max_len)
                        for s, g, n in zip(texts, truths, lengths)])
    tlr = np.zeros((B, T))
    tlr[np.arange(B), lengths - 1] = rewards
    scores = tlr.sum(axis=1)
    adv_row = np.empty(B)
    for g in np.unique(groups):
        idx = np.nonzero(groups == g)[0]
        if len(idx) == 1:
            mu, sd = 0.0, 1.0
        else:
            mu, sd = scores[idx].mean(), scores[idx].std(ddof=1)
        adv_row[idx] = (scores[idx] - mu) / (sd + 1e-6)
    A = adv_row[:, None] * mask
    n = mask.sum()
    ratio = np.exp(np.clip(lp - old, -20.0, 20.0))
    pg1 = -A * ratio
    pg2 = -A * np.clip(ratio, 0.8, 1.2)
    clip_pg = np.maximum(pg1, pg2)
    pg3 = -A * 3.0
    lower = np.minimum(pg3, clip_pg)
    pg = np.where(A < 0, lower, clip_pg)
    pg_loss = (pg * mask).sum() / (n + 1e-8)
    d = np.clip(ref - lp, -20.0, 20.0)
    kld = np.clip(np.exp(d) - d - 1.0, -10.0, 10.0)
    kl_loss = (kld * mask).sum() / (n + 1e-8)
    loss = pg_loss + 0.001 * kl_loss
    # gradient: the unclipped branch passes -A·ratio; clipped branches pass 0
    unclipped = (pg1 >= pg2) & ~((A < 0) & (pg3 < clip_pg))
    g_pg = np.where(unclipped, -A * ratio, 0.0)
    raw = np.exp(d) - d - 1.0
    g_kl = np.where((ref - lp > -20.0) & (ref - lp < 20.0) & (raw > -10.0) & (raw < 10.0), 1.0 - np.exp(d), 0.0)
    grad = (g_pg + 0.001 * g_kl) * mask / (n + 1e-8)
    return rewards, adv_row, loss, grad


def main():
    d = sys.argv[1]
    min_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    meta = json.load(open(os.path.join(d, "texts.json")))
    B, T = meta["rows"], meta["cols"]
    arr = lambda name: np.fromfile(os.path.join(d, name + ".f64"), dtype="<f8").reshape(B, T)  # noqa: E731
    lp, old, ref, mask = arr("lp"), arr("old"), arr("ref"), arr("mask")
    groups = np.array(meta["groups"])
    args = (meta["texts"], meta["truths"], groups, lp, old, ref, mask, meta["max_response_length"])
    out = pipeline(*args)
    times = []
    start = time.perf_counter()
    while len(times) < 3 or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        pipeline(*args)
        times.append(time.perf_counter() - t0)
    times.sort()
    rewards, adv, loss, grad = out
    grad.astype("<f8").tofile(os.path.join(d, "peer_grad.f64"))
    print(json.dumps({"seconds": times[len(times) // 2], "rewards": rewards.tolist(), "advantages": adv.tolist(), "loss": float(loss)}))


if __name__ == "__main__":
    main()
