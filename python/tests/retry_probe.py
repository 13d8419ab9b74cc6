"""Call a flaky server once through the client; print the rewards and the number of tries."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import judgekit_reward_client as jk  # noqa: E402

client = jk.JudgekitRewardClient(sys.argv[1], retry_delay_s=0.01, max_tries=int(sys.argv[2]), warn=None)
try:
    out = client.openrlhf(["q"], labels=["8 6"])
    print(json.dumps({"rewards": out["rewards"], "tries": client.tries}))
except jk.JudgekitRewardError as e:
    print(json.dumps({"error": str(e), "tries": client.tries}))
