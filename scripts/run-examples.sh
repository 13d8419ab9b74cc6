#!/usr/bin/env bash
# Run every example in examples/ (after `pnpm build`) and check what each prints, so an example
# that stops working fails CI. The TypeScript example is type-checked (strict) and run with tsx.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
expect() { # expect NAME PATTERN: the last run's output must contain PATTERN (extended regex)
  if ! grep -Eq -- "$2" "$log"; then
    echo "run-examples: $1 did not print /$2/; its output:" >&2; cat "$log" >&2; exit 1
  fi
}
run() { local name=$1; shift; echo "run-examples: $name"; "$@" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }; }

run pandalm-judges node examples/pandalm-judges.mjs --out runs/pandalm-demo
expect pandalm-judges '^\| GPT-3\.5-turbo \| 0\.7107 '
expect pandalm-judges '^\| PandaLM-7B \| 0\.6677 '
run html-report node examples/html-report.mjs
expect html-report '^419 pairs: accuracy 0\.[0-9]{4}, macro F1 0\.[0-9]{4}, swap consistency 1\.0000$'
run onnx-local-scoring node examples/onnx-local-scoring.mjs
expect onnx-local-scoring '^model tiny-distilbert-sst2: labels NEGATIVE, POSITIVE'
expect onnx-local-scoring '^24 LLMBar Natural pairs: accuracy 0\.[0-9]{4}'
run reward-server-round-trip node examples/reward-server-round-trip.mjs
expect reward-server-round-trip '^all 3 served rewards equal the in-process reward$'
expect reward-server-round-trip '"status":"ok"'
run webgpu-log-probs node examples/webgpu-log-probs.mjs
expect webgpu-log-probs '^backend: (WebGPU \(|CPU \(float64 reference\) — no WebGPU adapter found)'
expect webgpu-log-probs '^matches the CPU reference \(rtol 1e-4 \+ atol 1e-5\) on (webgpu|cpu)$'
run evaluate-served-judge:typecheck node node_modules/typescript/bin/tsc --noEmit --strict --exactOptionalPropertyTypes \
  --module nodenext --moduleResolution nodenext --target es2022 --types node --skipLibCheck examples/evaluate-served-judge.ts
run evaluate-served-judge node node_modules/tsx/dist/cli.mjs examples/evaluate-served-judge.ts
expect evaluate-served-judge '^40/40 judged \(40 swapped\): accuracy 0\.[0-9]{4}, swap consistency [01]\.[0-9]{4}, 0 parse failures'
echo "run-examples: all examples ran and printed what they should"
