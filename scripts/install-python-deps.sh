#!/usr/bin/env bash
# Python the tests need, installed from the machine's own package sources:
# - python3 with `requests`: the parsers' differential test runs the upstream parsers' Python
#   re-statement, and the reward server is tested with the client OpenRLHF uses;
# - torch (its local +cpu wheel first, so pip does not pull the CUDA build) and trl: the TRL
#   GRPOTrainer end-to-end test (packages/rewards/src/trl-grpo-trainer.test.ts); ~1.4 GB, ~70 s.
# Under CI the tests that need these fail rather than skip when they are missing, and this script
# exits non-zero when it cannot provide them.
set -euo pipefail
have_requests() { command -v python3 >/dev/null 2>&1 && python3 -c 'import requests' >/dev/null 2>&1; }
if ! have_requests && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || echo "install-python-deps: apt-get update reported errors"
  apt-get install -y -qq python3 python3-requests >/dev/null || echo "install-python-deps: apt-get install failed"
fi
# PIP_RETRIES=0 stops pip from retrying an unreachable default index five times per package.
export PIP_RETRIES="${PIP_RETRIES:-0}" PIP_DISABLE_PIP_VERSION_CHECK=1
if ! have_requests && command -v python3 >/dev/null 2>&1; then
  python3 -m pip install --quiet requests || python3 -m pip install --quiet --user requests || true
fi
if ! have_requests; then
  echo "install-python-deps: python3 with requests is not available" >&2; exit 1
fi
if python3 -c 'import trl, torch' 2>/dev/null; then
  echo "install-python-deps: requests, trl and torch already installed"; exit 0
fi
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
