"""NumPy peer of the metrics bench: sklearn-style accuracy / macro F1 (and P/R, Cohen's kappa) from
the 3x4 confusion matrix (failure = 4th prediction column), and a 1000-resample percentile
bootstrap of all of them, done the way an expert writes it in NumPy:

- `resample` (argv[1] == "resample"): per resample, draw n indices and bincount the joint codes
  (what bootstrap code usually does);
- `multinomial`: one `Generator.multinomial(n, counts / n, size=resamples)` call over the 12
  confusion bins (the same distribution, a tiny fraction of the draws), then vectorised metrics.
Paired bootstrap: the same over the 48 (label, A, B) bins.
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))
from bench_kit import hash_uniform, median_seconds, report, write_outputs  # noqa: E402

N, RESAMPLES = 100_000, 1000


def inputs(n):
    u0, u1, u2, u3, u4 = (hash_uniform(n, s) for s in (41, 42, 43, 44, 45))
    labels = np.floor(u0 * 3).astype(np.int64)
    preds = np.where(u1 < 0.7, labels, np.floor(u2 * 4).astype(np.int64))
    preds_b = np.where(u3 < 0.65, labels, np.floor(u4 * 4).astype(np.int64))
    return labels, preds, preds_b


def stats(cm):  # cm: (..., 3, 4) → (..., 5): accuracy, macro P, R, F1, kappa
    support = cm.sum(-1)
    predicted = cm[..., :3].sum(-2)
    tp = np.diagonal(cm[..., :3], axis1=-2, axis2=-1)
    total = support.sum(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(predicted > 0, tp / predicted, 0.0)
        r = np.where(support > 0, tp / support, 0.0)
        f = np.where(support + predicted > 0, 2 * tp / (support + predicted), 0.0)
        present = (support > 0) | (predicted > 0)
        k = present.sum(-1)
        acc = tp.sum(-1) / total
        pe = (support * predicted).sum(-1) / total**2
        kappa = (acc - pe) / (1 - pe)
    return np.stack([acc, (p * present).sum(-1) / k, (r * present).sum(-1) / k, (f * present).sum(-1) / k, kappa], -1)


def main():
    method = sys.argv[1]
    out_dir = sys.argv[-1]
    labels, preds, preds_b = inputs(N)
    joint = labels * 4 + preds
    labels_u8, preds_u8 = labels.astype(np.uint8), preds.astype(np.uint8)
    triple = labels * 16 + preds * 4 + preds_b
    seconds = {}
    box = {}

    def point_joint():
        box["point"] = stats(np.bincount(joint, minlength=12).reshape(3, 4).astype(np.float64))

    def point_codes():
        if labels_u8.max(initial=0) > 3 or preds_u8.max(initial=0) > 3:
            raise ValueError("code out of range")
        pairs = np.bincount((labels_u8 << 2) | preds_u8, minlength=16).astype(np.float64)
        return stats(pairs[:12].reshape(3, 4))

    def hists(codes, bins, rng):
        if method == "multinomial":
            counts = np.bincount(codes, minlength=bins)
            return rng.multinomial(N, counts / N, size=RESAMPLES).astype(np.float64)
        out = np.empty((RESAMPLES, bins))
        for b in range(RESAMPLES):
            out[b] = np.bincount(codes[rng.integers(0, N, N)], minlength=bins)
        return out

    def boot():
        reps = stats(hists(joint, 12, np.random.default_rng(1)).reshape(RESAMPLES, 3, 4))
        box["ci"] = np.percentile(reps, [2.5, 97.5], axis=0)

    def paired():
        h = hists(triple, 48, np.random.default_rng(1)).reshape(RESAMPLES, 3, 4, 4)
        d = stats(h.sum(3)) - stats(h.sum(2))
        box["paired"] = np.percentile(d, [2.5, 97.5], axis=0)

    seconds["point_joint"] = median_seconds(point_joint, reps=20)
    seconds["point_codes"] = median_seconds(point_codes, reps=20)
    seconds["bootstrap"] = median_seconds(boot)
    seconds["paired_bootstrap"] = median_seconds(paired)
    pt = box["point"]
    ci = box["ci"]
    write_outputs(out_dir, {
        "point": [pt[0], pt[3], pt[0], pt[3]],
        "ci": [ci[0][0], ci[1][0], ci[0][3], ci[1][3]],
        "paired_ci": [box["paired"][0][0], box["paired"][1][0]],
    })
    report(seconds, {k: 1 for k in seconds}, f"NumPy {np.__version__} ({method})")


if __name__ == "__main__":
    main()
