#!/usr/bin/env bash
# Python packages the TRL end-to-end test needs (packages/rewards/src/trl-grpo-trainer.test.ts):
# torch from its local +cpu wheel first (so pip does not pull the CUDA build), then trl. Uses the
# pip configuration of the machine (here: the local mirror; ~1.4 GB, ~70 s). PIP_RETRIES=0 stops
# pip from retrying an unreachable default index five times per package.
set -euo pipefail
if python3 -c 'import trl, torch' 2>/dev/null; then
  echo "install-python-deps: trl and torch already installed"; exit 0
fi
export PIP_RETRIES="${PIP_RETRIES:-0}" PIP_DISABLE_PIP_VERSION_CHECK=1
shopt -s nullglob
wheels=(/opt/wheels/torch-*+cpu-*.whl)
if [ ${#wheels[@]} -gt 0 ]; then
  python3 -m pip install -q "${wheels[0]}"
else
  echo "install-python-deps: no local torch +cpu wheel in /opt/wheels; installing torch from the configured index"
  python3 -m pip install -q torch
fi
python3 -m pip install -q trl
python3 -c 'import trl, torch; print(f"install-python-deps: trl {trl.__version__}, torch {torch.__version__}")'
