"""NumPy peer of @judgekit/metrics' bench: sklearn-style accuracy / macro P/R/F1 / Cohen's kappa from a
3x4 confusion matrix (failures as 4th prediction column), and a 1000-resample percentile bootstrap.

- point_joint: from pre-encoded joint codes (label*4 + prediction): bincount + metrics.
- point_codes: from uint8 verdict codes (0..3 each) as judgekit's evaluateJudge takes them: check the
  codes, count label*4 + prediction pairs, drop failed labels (row 3), metrics.
- bootstrap: 1000 resamples of the joint codes (integers + bincount per resample), metrics, percentiles."""
import json, sys, time
import numpy as np

n = int(sys.argv[1]); resamples = int(sys.argv[2])
rng = np.random.default_rng(0)
labels = rng.integers(0, 3, n)
preds = np.where(rng.random(n) < 0.7, labels, rng.integers(0, 4, n))
joint = (labels * 4 + preds).astype(np.int64)
labels_u8 = labels.astype(np.uint8); preds_u8 = preds.astype(np.uint8)

def stats(cm):  # cm: (..., 3, 4)
    support = cm.sum(-1); predicted = cm[..., :3].sum(-2); tp = np.diagonal(cm[..., :3], axis1=-2, axis2=-1)
    total = support.sum(-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(predicted > 0, tp / predicted, 0.0)
        r = np.where(support > 0, tp / support, 0.0)
        f = np.where(support + predicted > 0, 2 * tp / (support + predicted), 0.0)
        present = (support > 0) | (predicted > 0)
        k = present.sum(-1)
        acc = tp.sum(-1) / total
        pe = (support * predicted).sum(-1) / total ** 2
        kappa = (acc - pe) / (1 - pe)
    return np.stack([acc, (p * present).sum(-1) / k, (r * present).sum(-1) / k, (f * present).sum(-1) / k, kappa], -1)

def point_joint():
    cm = np.bincount(joint, minlength=12).reshape(3, 4).astype(np.float64)
    return stats(cm)

def point_codes():
    if labels_u8.max(initial=0) > 3 or preds_u8.max(initial=0) > 3:
        raise ValueError("code out of range")
    pairs = np.bincount((labels_u8 << 2) | preds_u8, minlength=16).astype(np.float64)
    return stats(pairs[:12].reshape(3, 4))

def boot():
    brng = np.random.default_rng(1)
    hists = np.empty((resamples, 12))
    for b in range(resamples):
        hists[b] = np.bincount(joint[brng.integers(0, n, n)], minlength=12)
    reps = stats(hists.reshape(resamples, 3, 4))
    return np.percentile(reps, [2.5, 97.5], axis=0)

def timeit(fn, min_s=1.0, min_reps=3):
    fn(); ts = []; t0 = time.perf_counter()
    while len(ts) < min_reps or time.perf_counter() - t0 < min_s:
        s = time.perf_counter(); fn(); ts.append(time.perf_counter() - s)
    ts.sort(); return ts[len(ts) // 2]

tj = timeit(point_joint); tc = timeit(point_codes); tb = timeit(boot, min_s=0, min_reps=2)
print(json.dumps({"point_joint": n / tj, "point_codes": n / tc, "bootstrap": n * resamples / tb, "bootstrap_s": tb}))
