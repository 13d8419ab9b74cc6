#!/usr/bin/env bash
# Prepare `bench:gpu` for a machine that has a GPU and Python/PyTorch but no node, no Vulkan
# loader and no network (e.g. a lent NVIDIA H100/H200). Writes, in the repository root (both
# ignored by git):
#   .carry/  node (xz), the bench bundled into one ESM file, the `webgpu` package's loader and
#            dawn.node (xz), the PyTorch peer script;
#   .gl/     the Vulkan/GL loader .debs (libglvnd etc.; without them the NVIDIA ICD fails with
#            "Could not get 'vkCreateInstance'").
# Then run, on that machine, from the repository root (carry: .gl and .carry):
#   bash packages/webgpu/bench/run-gpu-carry.sh
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
cd "$root"
pkg=packages/webgpu
wg="$pkg/node_modules/webgpu"
rm -rf .carry && mkdir -p .carry/node_modules/webgpu/dist/linux-x64
node -e '
const { createRequire } = require("node:module");
const r = createRequire(require.resolve("tsup/package.json"));
r("esbuild").build({
  entryPoints: [process.argv[1]], bundle: true, platform: "node", format: "esm", target: "node20",
  conditions: ["@judgekit/source"], external: ["webgpu"], outfile: ".carry/bench-gpu.mjs", logLevel: "warning",
}).catch((e) => { console.error(e.message); process.exit(1); });
' "$pkg/bench/gpu.ts"
cp "$pkg/bench/torch-gpu-peer.py" .carry/
cp "$wg/index.js" "$wg/package.json" .carry/node_modules/webgpu/
xz -T2 -c "$wg/dist/linux-x64/dawn.node" > .carry/node_modules/webgpu/dist/linux-x64/dawn.node.xz
xz -T2 -c "$(command -v node)" > .carry/node.xz
if ! ls .gl/*.deb >/dev/null 2>&1; then
  mkdir -p .gl /tmp/amd64/partial
  o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
  apt-get "${o[@]}" update -qq
  (cd .gl && apt-get "${o[@]}" download libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2)
fi
du -sh .carry .gl
