# PyTorch peer for the token log-prob kernel (CUDA). Copied from the judgekit shared GPU notes
# (shared/gpu/torch-logprob-peer.py, written for this project); needs torch + a CUDA device.
# Prints {log_softmax_gather, gather_minus_logsumexp: {ms, GBps}, copy_read+write_GBps}.
import torch, time, json
R, V = 2048, 152064
x = torch.rand(R, V, device='cuda') * 20 - 10
lab = (torch.arange(R, device='cuda') * 7919) % V
def t(f, n=20):
    for _ in range(3): f()
    torch.cuda.synchronize(); t0 = time.perf_counter()
    for _ in range(n): f()
    torch.cuda.synchronize(); return (time.perf_counter() - t0) / n * 1e3
f1 = lambda: torch.log_softmax(x, -1).gather(-1, lab[:, None])
f2 = lambda: x.gather(-1, lab[:, None]).squeeze(-1) - torch.logsumexp(x, -1)
bytes_ = R * V * 4
r = {}
for name, f in [('log_softmax_gather', f1), ('gather_minus_logsumexp', f2)]:
    ms = t(f); r[name] = dict(ms=round(ms, 3), GBps=round(bytes_ / ms / 1e6, 1))
y = torch.empty_like(x); ms = t(lambda: y.copy_(x)); r['copy_read+write_GBps'] = round(2 * bytes_ / ms / 1e6, 1)
print(json.dumps(r))
