"""PyTorch CPU peer of the GRPO bench, at judgekit's thread count (first argument).

- clip + k3: verl's own formulation (core_algos.compute_policy_loss_vanilla + kl_penalty
  'low_var_kl', token-mean) on float64 tensors, gradient by autograd, as verl runs it;
- log-prob + entropy: verl's logprobs_from_logits (log_softmax + gather) and entropy_from_logits
  (logsumexp − Σ softmax·z) on the float32 logits, no grad, as users call it.
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))
from bench_kit import median_seconds, report, skip, write_outputs  # noqa: E402

try:
    import torch
except Exception as exc:  # noqa: BLE001
    skip(f"torch does not import ({type(exc).__name__}: {exc}); pip install torch (+cpu build)")
    sys.exit(0)

from inputs import TEMPERATURE, actor_inputs, logits_inputs  # noqa: E402


def clip_k3(logp, old, ref, adv, mask, lo=0.8, hi=1.2, c=3.0, kl_coef=1e-3):
    neg_kl = logp - old
    neg_kl = torch.clamp(neg_kl, min=-20.0, max=20.0)
    ratio = torch.exp(neg_kl)
    pg1 = -adv * ratio
    pg2 = -adv * torch.clamp(ratio, 1 - (1 - lo), hi)
    clip1 = torch.maximum(pg1, pg2)
    pg3 = -adv * c
    clip2 = torch.min(pg3, clip1)
    pg = torch.where(adv < 0, clip2, clip1)
    n = mask.sum()
    pg_loss = (pg * mask).sum() / n
    kl = torch.clamp(ref - logp, min=-20.0, max=20.0)
    k3 = torch.clamp(torch.exp(kl) - kl - 1, min=-10.0, max=10.0)
    kl_loss = (k3 * mask).sum() / n
    return pg_loss + kl_coef * kl_loss


def main():
    threads_n = int(sys.argv[1])
    out_dir = sys.argv[-1]
    torch.set_num_threads(threads_n)
    seconds, threads, outputs = {}, {}, {}
    for key, (rows, cols) in (("clip_k3_64x2048", (64, 2048)), ("clip_k3_512x2048", (512, 2048))):
        old, logp, ref, adv, mask = (torch.from_numpy(a) for a in actor_inputs(rows, cols))
        box = {}

        def step():
            lp = logp.clone().requires_grad_(True)
            rf = ref.clone().requires_grad_(True)
            loss = clip_k3(lp, old, rf, adv, mask)
            loss.backward()
            box.update(loss=loss.item(), grad=lp.grad, gref=rf.grad)

        seconds[key] = median_seconds(step)
        threads[key] = threads_n
        outputs[key + "_loss"] = [box["loss"]]
        outputs[key + "_grad"] = box["grad"].numpy()
        outputs[key + "_gref"] = box["gref"].numpy()
    logits_np, labels_np = logits_inputs(4096, 32000)
    logits, labels = torch.from_numpy(logits_np), torch.from_numpy(labels_np)
    box = {}

    @torch.no_grad()
    def logp_entropy():
        z = logits / TEMPERATURE
        lp = torch.gather(torch.log_softmax(z, dim=-1), -1, labels[:, None])[:, 0]
        pd = torch.softmax(z, dim=-1)
        ent = torch.logsumexp(z, dim=-1) - (pd * z).sum(dim=-1)
        box.update(lp=lp, ent=ent)

    seconds["logp_entropy_4096x32000"] = median_seconds(logp_entropy, reps=3)
    threads["logp_entropy_4096x32000"] = threads_n
    outputs["logp"], outputs["entropy"] = box["lp"].double().numpy(), box["ent"].double().numpy()
    write_outputs(out_dir, outputs)
    report(seconds, threads, f"PyTorch {torch.__version__}")


if __name__ == "__main__":
    main()
