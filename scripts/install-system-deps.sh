#!/usr/bin/env bash
# Debian packages the WebGPU tests use on machines without a GPU: Mesa's lavapipe from
# bookworm-backports (Dawn rejects bookworm's own 22.x) and the Vulkan loader. Needs root and apt.
# Without them the WebGPU tests fall back to stock Mesa through OpenGL ES (compatibility mode).
set -uo pipefail
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: not root or no apt-get; skipping (WebGPU tests use their fallback)"; exit 0
fi
if dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null | grep -q '^25'; then
  echo "install-system-deps: mesa-vulkan-drivers 25.x already installed"; exit 0
fi
. /etc/os-release
if [ "${VERSION_CODENAME:-}" = bookworm ] && ! grep -rqs bookworm-backports /etc/apt/sources.list /etc/apt/sources.list.d; then
  echo "deb http://deb.debian.org/debian bookworm-backports main" > /etc/apt/sources.list.d/backports.list
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || echo "install-system-deps: apt-get update reported errors"
if ! apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null; then
  echo "install-system-deps: backports Mesa unavailable; WebGPU tests will use OpenGL ES"
fi
exit 0
