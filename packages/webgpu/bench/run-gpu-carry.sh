#!/usr/bin/env bash
# Run `bench:gpu` from what bench/prepare-gpu-carry.sh wrote (.carry, .gl) on a machine with an
# NVIDIA GPU, NVIDIA's Vulkan ICD and PyTorch but no node. From the repository root.
set -euo pipefail
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES="$icd"
rm -rf /tmp/jk && cp -r .carry /tmp/jk
xz -d /tmp/jk/node.xz /tmp/jk/node_modules/webgpu/dist/linux-x64/dawn.node.xz
chmod +x /tmp/jk/node
/tmp/jk/node /tmp/jk/bench-gpu.mjs
