"""Python peer for the JSONL benchmark: json.loads per line (what JudgeLM's scripts do) over the
same text, plus the JudgeLM-style `text == "error"` filter. Prints one JSON line of throughputs."""
import json
import sys
import time


def main() -> None:
    text = sys.stdin.read()
    n_bytes = len(text.encode("utf-8"))

    def run():
        rows = [json.loads(line) for line in text.split("\n") if line.strip()]
        return [r for r in rows if r.get("text") != "error"]

    run()
    samples = []
    start = time.perf_counter()
    while len(samples) < 5 or time.perf_counter() - start < 1.0:
        t0 = time.perf_counter()
        rows = run()
        samples.append(time.perf_counter() - t0)
    samples.sort()
    median = samples[len(samples) // 2]
    print(json.dumps({"lines_per_s": len(rows) / median, "mb_per_s": n_bytes / median / 1e6}))


if __name__ == "__main__":
    main()
