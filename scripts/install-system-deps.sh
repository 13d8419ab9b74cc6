#!/usr/bin/env bash
# Debian packages the WebGPU tests need on machines without a GPU:
# - Mesa's lavapipe (Vulkan on the CPU) from bookworm-backports (Dawn rejects bookworm's own 22.x)
#   with the Vulkan loader: the conformance suite's Vulkan run;
# - Mesa EGL + OpenGL ES: the suite's run on Dawn's OpenGL ES compatibility adapter;
# - Chromium (+ fonts): the suite in headless Chromium's navigator.gpu (SwiftShader).
# Exits non-zero when it cannot provide them, so CI never goes green without the GPU path.
# Opt out explicitly: JUDGEKIT_SKIP_SYSTEM_DEPS=1 (everything), JUDGEKIT_SKIP_BROWSER=1 (Chromium).
set -euo pipefail

if [ "${JUDGEKIT_SKIP_SYSTEM_DEPS:-}" = 1 ]; then
  echo "install-system-deps: skipped (JUDGEKIT_SKIP_SYSTEM_DEPS=1); WebGPU tests will skip their GPU cases"
  exit 0
fi

want_browser=1
[ "${JUDGEKIT_SKIP_BROWSER:-}" = 1 ] && want_browser=0

# What is missing? (mesa-vulkan-drivers must be ≥ 24)
missing() {
  local m=()
  dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -Eq '^(2[4-9]|[3-9][0-9])\.' || m+=(mesa-vulkan-drivers)
  for p in libvulkan1 libegl1 libegl-mesa0 libgles2; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || m+=("$p")
  done
  if [ "$want_browser" = 1 ]; then
    command -v chromium >/dev/null 2>&1 || m+=(chromium)
    dpkg-query -W -f='${Status}' fonts-liberation 2>/dev/null | grep -q 'ok installed' || m+=(fonts-liberation)
  fi
  echo "${m[@]:-}"
}

need="$(missing)"
if [ -z "$need" ]; then
  echo "install-system-deps: lavapipe (mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)), EGL/GLES$([ "$want_browser" = 1 ] && echo ', chromium') already installed"
  exit 0
fi

fail() {
  echo "install-system-deps: FAILED: $*" >&2
  echo "install-system-deps: still missing: $(missing)" >&2
  echo "install-system-deps: set JUDGEKIT_SKIP_SYSTEM_DEPS=1 to run without them (GPU cases then skip)" >&2
  exit 1
}

SUDO=()
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null || fail "need root (or passwordless sudo) to install: $need"
  SUDO=(sudo -n)
fi
command -v apt-get >/dev/null 2>&1 || fail "no apt-get; install by hand: $need"

. /etc/os-release
export DEBIAN_FRONTEND=noninteractive
backports=()
if [ "${VERSION_CODENAME:-}" = bookworm ]; then
  if ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d; then
    echo "deb http://deb.debian.org/debian bookworm-backports main" | "${SUDO[@]}" tee /etc/apt/sources.list.d/backports.list >/dev/null
  fi
  backports=(-t bookworm-backports)
fi
"${SUDO[@]}" apt-get update -qq || fail "apt-get update"
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${backports[@]}" mesa-vulkan-drivers libvulkan1 libegl-mesa0 \
  >/dev/null || fail "apt-get install mesa-vulkan-drivers libvulkan1 libegl-mesa0 ${backports[*]}"
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends libegl1 libgles2 >/dev/null || fail "apt-get install libegl1 libgles2"
if [ "$want_browser" = 1 ]; then
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null ||
    fail "apt-get install chromium fonts-liberation (JUDGEKIT_SKIP_BROWSER=1 skips the browser run)"
fi
need="$(missing)"
[ -z "$need" ] || fail "installed, but still missing or too old: $need"
echo "install-system-deps: installed lavapipe (mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)), EGL/GLES$([ "$want_browser" = 1 ] && echo ', chromium')"
