# PyTorch eager peers of `pnpm bench:gpu`, on the same device judgekit runs on: CUDA when torch
# sees one, else the CPU (where judgekit's software adapters also run). Adapted from the judgekit
# shared GPU notes (shared/gpu/torch-logprob-peer.py, torch-peers-bf16-grpo.py, written for this
# project). Args: R V B T. Prints one JSON object: times in ms per call, copy GB/s (read + write).
import json, sys, time
try:
    import torch
except Exception as e:  # noqa: BLE001
    print(json.dumps({"error": f"torch not importable: {e}"}))
    sys.exit(0)
R, V, B, T = (int(a) for a in sys.argv[1:5])
dev = "cuda" if torch.cuda.is_available() else "cpu"
sync = torch.cuda.synchronize if dev == "cuda" else (lambda: None)
def t(f, n=None):
    n = n or (20 if dev == "cuda" else 3)
    for _ in range(2): f()
    sync(); t0 = time.perf_counter()
    for _ in range(n): f()
    sync(); return (time.perf_counter() - t0) / n * 1e3
r = {"torch": torch.__version__, "device": torch.cuda.get_device_name() if dev == "cuda" else "cpu"}
x = torch.rand(R, V, device=dev) * 20 - 10
lab = (torch.arange(R, device=dev) * 7919) % V
def lp_ent(x):
    lse = torch.logsumexp(x, -1); p = torch.softmax(x, -1)
    return x.gather(-1, lab[:, None]).squeeze(-1) - lse, lse - (p * x).sum(-1)
r["f32_logprob_ms"] = t(lambda: torch.log_softmax(x, -1).gather(-1, lab[:, None]))
r["f32_logprob_entropy_ms"] = t(lambda: lp_ent(x))
y = torch.empty_like(x)
r["copy_GBps"] = 2 * R * V * 4 / t(lambda: y.copy_(x)) / 1e6
del y
xb = x.to(torch.bfloat16); del x
r["bf16_logprob_ms"] = t(lambda: torch.log_softmax(xb.float(), -1).gather(-1, lab[:, None]))
r["bf16_logprob_entropy_ms"] = t(lambda: lp_ent(xb.float()))
del xb
lp = (torch.randn(B, T, device=dev) * .3 - 1).requires_grad_()
old = lp.detach() + torch.randn(B, T, device=dev) * .05
ref = lp.detach() + torch.randn(B, T, device=dev) * .05
adv = torch.randn(B, 1, device=dev).expand(B, T)
m = (torch.rand(B, T, device=dev) < .9).float()
def grpo():
    lr = torch.clamp(lp - old, -20, 20); ratio = torch.exp(lr)
    pl = torch.maximum(-adv * ratio, -adv * torch.clamp(ratio, .8, 1.2))
    d = torch.clamp(ref - lp, -20, 20); kl = torch.clamp(torch.exp(d) - d - 1, -10, 10)
    loss = ((pl + 0.001 * kl) * m).sum() / m.sum()
    g, = torch.autograd.grad(loss, lp); return g
r["grpo_fwd_bwd_ms"] = t(grpo)
print(json.dumps(r))
