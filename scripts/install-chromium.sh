#!/usr/bin/env bash
# Debian's Chromium and a font, for scripts/check-report-html.mjs (the HTML report renders in a
# real browser with no console error). Needs root and apt; elsewhere says what to install.
set -uo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "install-chromium: $(chromium --version 2>/dev/null | tail -1) already installed"; exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: not root or no apt-get; install chromium yourself (apt-get install chromium fonts-liberation)"; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || echo "install-chromium: apt-get update reported errors"
apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
