"""Python peer for the @judgekit/rewards benchmark.

A re-statement, written for this benchmark from judgekit's spec (judgelrm.md section 1), of the
JudgeLRM rule reward of NuoJohnChen/JudgeLRM src/verl/utils/reward_score/judgelrm.py (commit
1b20721), including its per-sample diagnostic printing. Reads {"samples": [...]} on stdin, times
scoring the whole batch, and prints one JSON line: rewards per second with printing (stdout sent to
os.devnull, as a training job sends it to a log) and without printing, plus the rewards themselves
so the benchmark can check that both implementations agree.
"""
import contextlib
import io
import json
import os
import re
import sys
import time

import numpy as np

ANSWER = re.compile(r"<answer>(.*?)</answer>", re.DOTALL)
LOUD = True


def say(*args):
    if LOUD:
        print(*args)


def split_response(text):
    for header in ("Assistant:", "<|im_start|>assistant"):
        if header in text:
            return text.split(header, 1)[1], True
    say("[Error] Failed to locate model response header")
    return text, False


def two_scores(matches):
    a = int(matches[0].group(1).strip())
    b = int(matches[1].group(1).strip())
    return a, b


def extract(text):
    body, found = split_response(text)
    if not found:
        return None, body
    found_answers = list(ANSWER.finditer(body))
    if len(found_answers) < 2:
        say("[Error] Less than 2 answer tags found")
        return None, body
    try:
        a, b = two_scores(found_answers)
    except Exception as exc:  # int() failure
        say(f"  [Error] Invalid format in answer: {exc}")
        return None, body
    if not (0 <= a <= 10 and 0 <= b <= 10):
        say("  [Error] Invalid format in answer: Scores must be between 0 and 10")
        return None, body
    return [a, b], body


def gold(value):
    say("\n[Ground Truth Parsing]")
    try:
        items = value.tolist()
        if isinstance(items, list) and len(items) == 2:
            say(f"  Found expected scores: {items}")
            return items
        tokens = [int(t) for t in items[0].split("\n")[0].split()]
        if len(tokens) != 2:
            raise ValueError
        say(f"  Found expected scores: {tokens}")
        return tokens
    except Exception as exc:
        say(f"  [Error] Invalid format in solution_text_format: {exc}")
        return None


def structure(body):
    say("\n[Structure Validation]")
    first = {}
    for tag, want in (("<think>", 1), ("</think>", 1), ("<answer>", 2), ("</answer>", 2)):
        n = body.count(tag)
        first[tag] = body.find(tag)
        say(f"  {tag}: count={n}, position={first[tag]}")
        if n != want:
            say(f"  [Error] {tag} appears {n} times (expected {want})")
            return -1.0
    if first["<think>"] > first["</think>"] or first["</think>"] > first["<answer>"] or first["<answer>"] > first["</answer>"]:
        say("  [Error] Incorrect tag order")
        return -1.0
    say("  Tag sequence validation passed")
    found_answers = list(ANSWER.finditer(body))
    if len(found_answers) != 2:
        say("  [Error] Should have exactly 2 answer tags")
        return -1.0
    try:
        a, b = two_scores(found_answers)
    except Exception as exc:
        say(f"  [Error] Invalid format in answer: {exc}")
        return -0.5
    if not (0 <= a <= 10 and 0 <= b <= 10):
        say("  [Error] Scores must be between 0 and 10")
        return -0.5
    return 1.0


def content(pred, exp, ablation):
    say("\n[Model Answer Validation]")
    try:
        if (exp[0] >= exp[1]) != (pred[0] >= pred[1]):
            say("  Content validation: MISMATCH")
            return -1.5
        say("  Content validation: FULL MATCH")
        total = 2.0
        if ablation != "reward_wo_score":
            dist = abs(exp[0] - pred[0]) + abs(exp[1] - pred[1])
            if dist == 0:
                total += 1.0
                say("  Perfect match: +1.0")
            elif dist <= 2:
                total += 0.6
                say(f"  Close match (diff={dist}): +0.6")
            if abs(pred[1] - pred[0]) >= abs(exp[1] - exp[0]):
                total += 0.2
                say("  Difference magnitude: +0.2")
        return total
    except Exception:
        say("  [Error] Invalid answer format")
        return -2.0


def compute_score(solution_str, ground_truth, format_reward=1.0, answer_reward=1.0,
                  reward_ablation="base_reward", response_length=0, max_response_length=0):
    say("\n" + "=" * 80)
    say(" Processing New Sample ".center(80, "="))
    exp = gold(ground_truth.get("solution_text_format", np.array([])))
    if exp is None:
        return -2.0
    pred, body = extract(solution_str)
    say(f"\n[Model Response]\n{body}")
    fmt = structure(body) * format_reward
    say(f"\n  Format validation score: {fmt}")
    if fmt > 0 and pred:
        say("\n[Content Validation]")
        say(f"  Expected: {exp[0]} {'>=' if exp[0] >= exp[1] else '<'} {exp[1]}")
        say(f"  Predicted: {pred[0]} {'>=' if pred[0] >= pred[1] else '<'} {pred[1]}")
        ans = content(pred, exp, reward_ablation) * answer_reward
        if reward_ablation == "base_reward":
            bonus = 0.2 if response_length > 120 else 0.0
            penalty = -1.0 if response_length >= max_response_length else 0.0
            ans += bonus + penalty
    else:
        ans = -2.0
        say("\n[Content Validation] Skipped due to format errors or missing answer")
    total = fmt + ans
    say("\n" + "-" * 80)
    say(" Final Score ".center(80, "-"))
    say(f"  Format: {fmt}")
    say(f"  Answer: {ans}")
    say(f"  Total: {total}")
    say("=" * 80 + "\n")
    return total


def run_batch(batch):
    return [compute_score(s, gt, reward_ablation=ab, response_length=rl, max_response_length=ml) for s, gt, ab, rl, ml in batch]


def time_batch(batch, min_seconds):
    run_batch(batch)
    times = []
    start = time.perf_counter()
    while len(times) < 5 or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        run_batch(batch)
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def main():
    global LOUD
    data = json.load(sys.stdin)
    min_seconds = float(data.get("min_seconds", 2.0))
    batch = []
    for s in data["samples"]:
        gt = s["ground_truth"]
        arr = np.array([gt]) if isinstance(gt, str) else np.array(gt, dtype=np.float64)
        batch.append((s["solution_str"], {"solution_text_format": arr}, s["reward_ablation"], s["response_length"], s["max_response_length"]))
    LOUD = False
    rewards = run_batch(batch)
    quiet = time_batch(batch, min_seconds)
    LOUD = True
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        loud = time_batch(batch, min_seconds)
    n = len(batch)
    print(json.dumps({"rewards_per_s": n / loud, "rewards_per_s_noprint": n / quiet, "rewards": rewards}))


if __name__ == "__main__":
    main()
