"""NumPy peer of the baselines bench, written as an expert would for speed on one core:
preallocated buffers, in-place ufuncs (`out=`), 16384-element chunks (every buffer in L1/L2), one
BLAS thread. Same float64 outputs as judgekit: DPO sigmoid (TRL) loss, per-pair losses, the 4
gradients and the 2 implicit rewards; Bradley–Terry loss, accuracy, mean margin, 2 gradients;
6 AdamW steps (torch.optim.AdamW arithmetic)."""
import sys

import numpy as np

from inputs import PAIRS, PARAMS, adamw_inputs, bt_inputs, dpo_inputs

sys.path.insert(0, __import__("os").path.join(__import__("os").path.dirname(__file__), "..", "..", "..", "scripts"))
from bench_kit import median_seconds, report, write_outputs  # noqa: E402

CHUNK = 16384


class Dpo:
    def __init__(self, n, beta=0.1):
        self.beta = beta
        self.x, self.t = np.empty(CHUNK), np.empty(CHUNK)
        self.losses, self.gc, self.gr, self.grc, self.grr, self.cr, self.rr = (np.empty(n) for _ in range(7))

    def __call__(self, pc, pr, rc, rr):
        n = pc.shape[0]
        beta = self.beta
        gs = -beta / n
        total = 0.0
        for s in range(0, n, CHUNK):
            e = min(n, s + CHUNK)
            k = e - s
            x, t = self.x[:k], self.t[:k]
            np.subtract(pc[s:e], pr[s:e], out=x)
            np.subtract(rc[s:e], rr[s:e], out=t)
            np.subtract(x, t, out=x)
            np.multiply(x, beta, out=x)
            np.negative(x, out=t)
            L = self.losses[s:e]
            np.logaddexp(0.0, t, out=L)  # −logσ(x)
            total += L.sum()
            np.multiply(t, 0.5, out=t)  # σ(−x) = (1 + tanh(−x/2))/2
            np.tanh(t, out=t)
            np.add(t, 1.0, out=t)
            np.multiply(t, 0.5 * gs, out=self.gc[s:e])
            np.negative(self.gc[s:e], out=self.gr[s:e])
            np.copyto(self.grc[s:e], self.gr[s:e])
            np.copyto(self.grr[s:e], self.gc[s:e])
            np.subtract(pc[s:e], rc[s:e], out=self.cr[s:e])
            np.multiply(self.cr[s:e], beta, out=self.cr[s:e])
            np.subtract(pr[s:e], rr[s:e], out=self.rr[s:e])
            np.multiply(self.rr[s:e], beta, out=self.rr[s:e])
        return total / n


class Bt:
    def __init__(self, n):
        self.d, self.t = np.empty(CHUNK), np.empty(CHUNK)
        self.b = np.empty(CHUNK, dtype=bool)
        self.gc, self.gr = np.empty(n), np.empty(n)

    def __call__(self, a, b):
        n = a.shape[0]
        loss = 0.0
        correct = 0
        margin = 0.0
        for s in range(0, n, CHUNK):
            e = min(n, s + CHUNK)
            k = e - s
            d, t, bb = self.d[:k], self.t[:k], self.b[:k]
            np.subtract(a[s:e], b[s:e], out=d)
            margin += d.sum()
            np.greater(d, 0.0, out=bb)
            correct += np.count_nonzero(bb)
            np.negative(d, out=t)
            np.logaddexp(0.0, t, out=t)
            loss += t.sum()
            np.multiply(d, -0.5, out=t)
            np.tanh(t, out=t)
            np.add(t, 1.0, out=t)
            np.multiply(t, 0.5 / n, out=self.gr[s:e])  # σ(−d)/B
            np.negative(self.gr[s:e], out=self.gc[s:e])
        return loss / n, correct / n, margin / n


class AdamW:
    def __init__(self, p, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8, wd=0.01):
        self.p, self.lr, self.b1, self.b2, self.eps, self.wd = p, lr, b1, b2, eps, wd
        self.m, self.v = np.zeros_like(p), np.zeros_like(p)
        self.t = np.empty(CHUNK)
        self.step_count = 0

    def step(self, g):
        self.step_count += 1
        k = self.step_count
        b1, b2 = self.b1, self.b2
        step_size = self.lr / (1 - b1**k)
        bc2_sqrt = np.sqrt(1 - b2**k)
        decay = 1 - self.lr * self.wd
        n = self.p.shape[0]
        for s in range(0, n, CHUNK):
            e = min(n, s + CHUNK)
            P, G, M, V, t = self.p[s:e], g[s:e], self.m[s:e], self.v[s:e], self.t[: e - s]
            np.multiply(P, decay, out=P)
            np.multiply(M, b1, out=M)
            np.multiply(G, 1 - b1, out=t)
            np.add(M, t, out=M)
            np.multiply(V, b2, out=V)
            np.multiply(G, 1 - b2, out=t)
            np.multiply(t, G, out=t)
            np.add(V, t, out=V)
            np.sqrt(V, out=t)
            np.divide(t, bc2_sqrt, out=t)
            np.add(t, self.eps, out=t)
            np.divide(M, t, out=t)
            np.multiply(t, step_size, out=t)
            np.subtract(P, t, out=P)


def main():
    out_dir = sys.argv[-1]
    seconds, threads, outputs = {}, {}, {}
    for n in PAIRS:
        pc, pr, rc, rr = dpo_inputs(n)
        dpo = Dpo(n)
        box = {}
        seconds[f"dpo_{n}"] = median_seconds(lambda: box.__setitem__("loss", dpo(pc, pr, rc, rr)))
        threads[f"dpo_{n}"] = 1
        outputs.update({f"dpo_{n}_loss": [box["loss"]], f"dpo_{n}_losses": dpo.losses, f"dpo_{n}_gc": dpo.gc,
                        f"dpo_{n}_gr": dpo.gr, f"dpo_{n}_grc": dpo.grc, f"dpo_{n}_grr": dpo.grr,
                        f"dpo_{n}_cr": dpo.cr, f"dpo_{n}_rr": dpo.rr})
        a, b = bt_inputs(n)
        bt = Bt(n)
        seconds[f"bt_{n}"] = median_seconds(lambda: box.__setitem__("bt", bt(a, b)))
        threads[f"bt_{n}"] = 1
        outputs.update({f"bt_{n}_stats": list(box["bt"]), f"bt_{n}_gc": bt.gc, f"bt_{n}_gr": bt.gr})
    p, g = adamw_inputs(PARAMS)
    opt = AdamW(p)
    seconds[f"adamw_{PARAMS}"] = median_seconds(lambda: opt.step(g))  # 6 steps in all, as judgekit
    threads[f"adamw_{PARAMS}"] = 1
    outputs["adamw_params"] = p
    write_outputs(out_dir, outputs)
    report(seconds, threads, f"NumPy {np.__version__}")


if __name__ == "__main__":
    main()
