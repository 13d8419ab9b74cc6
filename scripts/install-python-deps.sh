#!/usr/bin/env bash
# What the Python-backed tests need: python3 (the parsers' differential test runs the upstream
# parsers' Python re-statement) and `requests` (the reward server is tested with the client
# OpenRLHF uses). Under CI those tests fail rather than skip when these are missing.
set -uo pipefail
have() { command -v python3 >/dev/null 2>&1 && python3 -c 'import requests' >/dev/null 2>&1; }
if have; then
  echo "install-python-deps: python3 $(python3 -c 'import platform; print(platform.python_version())') with requests already installed"; exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || echo "install-python-deps: apt-get update reported errors"
  apt-get install -y -qq python3 python3-requests >/dev/null || echo "install-python-deps: apt-get install failed"
fi
if ! have && command -v python3 >/dev/null 2>&1; then
  python3 -m pip install --quiet requests 2>/dev/null || python3 -m pip install --quiet --user requests 2>/dev/null || true
fi
if have; then echo "install-python-deps: ok"; exit 0; fi
echo "install-python-deps: python3 with requests is not available; the Python-backed tests will fail under CI" >&2
exit 0
