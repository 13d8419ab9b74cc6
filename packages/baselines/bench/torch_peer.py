"""PyTorch CPU peer of the baselines bench at judgekit's thread count (first argument): TRL's DPO
sigmoid loss and RewardTrainer Bradley–Terry loss on float64 tensors with autograd (as TRL runs
them), and torch.optim.AdamW (fused CPU kernel when this build has it, else foreach) for 6 steps."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))
from bench_kit import median_seconds, report, skip, write_outputs  # noqa: E402

try:
    import torch
    import torch.nn.functional as F
except Exception as exc:  # noqa: BLE001
    skip(f"torch does not import ({type(exc).__name__}: {exc}); pip install torch (+cpu build)")
    sys.exit(0)

from inputs import PAIRS, PARAMS, adamw_inputs, bt_inputs, dpo_inputs  # noqa: E402


def main():
    threads_n = int(sys.argv[1])
    out_dir = sys.argv[-1]
    torch.set_num_threads(threads_n)
    seconds, threads, outputs = {}, {}, {}
    beta = 0.1
    for n in PAIRS:
        pc, pr, rc, rr = (torch.from_numpy(a) for a in dpo_inputs(n))
        box = {}

        def dpo():
            xs = [t.clone().requires_grad_(True) for t in (pc, pr, rc, rr)]
            logits = (xs[0] - xs[1]) - (xs[2] - xs[3])
            losses = -F.logsigmoid(beta * logits)
            loss = losses.mean()
            loss.backward()
            with torch.no_grad():
                cr = beta * (xs[0] - xs[2])
                rj = beta * (xs[1] - xs[3])
            box.update(loss=loss.item(), losses=losses.detach(), grads=[x.grad for x in xs], cr=cr, rj=rj)

        seconds[f"dpo_{n}"] = median_seconds(dpo)
        threads[f"dpo_{n}"] = threads_n
        g = box["grads"]
        outputs.update({f"dpo_{n}_loss": [box["loss"]], f"dpo_{n}_losses": box["losses"].numpy(),
                        f"dpo_{n}_gc": g[0].numpy(), f"dpo_{n}_gr": g[1].numpy(), f"dpo_{n}_grc": g[2].numpy(),
                        f"dpo_{n}_grr": g[3].numpy(), f"dpo_{n}_cr": box["cr"].numpy(), f"dpo_{n}_rr": box["rj"].numpy()})
        a, b = (torch.from_numpy(x) for x in bt_inputs(n))

        def bt():
            ra = a.clone().requires_grad_(True)
            rb = b.clone().requires_grad_(True)
            loss = -F.logsigmoid(ra - rb).mean()
            loss.backward()
            with torch.no_grad():
                acc = (ra > rb).double().mean().item()
                margin = (ra - rb).mean().item()
            box.update(bt=[loss.item(), acc, margin], gc=ra.grad, gr=rb.grad)

        seconds[f"bt_{n}"] = median_seconds(bt)
        threads[f"bt_{n}"] = threads_n
        outputs.update({f"bt_{n}_stats": box["bt"], f"bt_{n}_gc": box["gc"].numpy(), f"bt_{n}_gr": box["gr"].numpy()})
    p_np, g_np = adamw_inputs(PARAMS)
    p = torch.nn.Parameter(torch.from_numpy(p_np))
    p.grad = torch.from_numpy(g_np)
    try:
        opt = torch.optim.AdamW([p], lr=1e-3, weight_decay=0.01, fused=True)
        opt.step()
        kind = "fused"
        p.data.copy_(torch.from_numpy(adamw_inputs(PARAMS)[0]))
        opt = torch.optim.AdamW([p], lr=1e-3, weight_decay=0.01, fused=True)
    except Exception:  # noqa: BLE001
        opt = torch.optim.AdamW([p], lr=1e-3, weight_decay=0.01, foreach=True)
        kind = "foreach"
    seconds[f"adamw_{PARAMS}"] = median_seconds(opt.step)
    threads[f"adamw_{PARAMS}"] = threads_n
    outputs["adamw_params"] = p.detach().numpy()
    write_outputs(out_dir, outputs)
    report(seconds, threads, f"PyTorch {torch.__version__} (AdamW {kind})")


if __name__ == "__main__":
    main()
