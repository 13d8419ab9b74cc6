#!/usr/bin/env bash
# Set up a fresh machine for judgekit: pnpm at the pinned version, then the workspace exactly as the
# lockfile says. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
want=10.34.8
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm -v 2>/dev/null)" != "$want" ]; then
  npm i -g "pnpm@$want" --no-fund --no-audit
fi
# onnxruntime-node's postinstall would download CUDA files; its CPU binaries ship in the package.
export ONNXRUNTIME_NODE_INSTALL=skip
pnpm install --frozen-lockfile
