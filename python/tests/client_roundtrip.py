"""Exercise judgekit_reward_client against a running server; print one JSON object (used by vitest)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import judgekit_reward_client as jk  # noqa: E402

url = sys.argv[1]
client = jk.JudgekitRewardClient(url, retry_delay_s=0.05, warn=None)
msgs = [{"role": "user", "content": "Score the two answers."}]
completions = [
    [{"role": "assistant", "content": "ok</think><answer>8</answer><answer>6</answer>"}],
    [{"role": "assistant", "content": "no tags"}],
]
metrics = {}
trl = client.trl_reward_func()(
    prompts=[msgs, msgs],
    completions=completions,
    completion_ids=[[1, 2, 3], [4]],
    ground_truth=["8 6", "8 6"],
    trainer_state=object(),  # not JSON: must be dropped, as TRL passes it
    log_metric=lambda name, value: metrics.__setitem__(name, value),
    log_extra=lambda column, values: None,
)
verl_one = jk.compute_score("judgelrm", "ok</think><answer>8</answer><answer>6</answer>", "8 6",
                            {"index": 0}, url=url, sequence_prefix="<|im_start|>assistant\n<think>")
verl_batch = jk.compute_score_batched(["judgelrm"] * 2, ["x</think><answer>8</answer><answer>6</answer>", "bad"],
                                      ["8 6", "8 6"], None, url=url, sequence_prefix="<|im_start|>assistant\n<think>")
openrlhf = client.openrlhf(["<|im_start|>assistant\n<think>a</think><answer>8</answer><answer>6</answer>"], labels=["8 6"])
error = None
try:
    client.post("/trl", {"prompts": [msgs], "completions": ["x"]})
except jk.JudgekitRewardError as e:
    error = {"status": e.status, "message": str(e)}
tries_before = client.tries
print(json.dumps({
    "trl": trl, "metrics": metrics, "verl_one": verl_one, "verl_batch": verl_batch,
    "openrlhf": openrlhf, "openrlhf_url": client.openrlhf_url, "error": error, "tries": tries_before,
}))
