#!/usr/bin/env bash
# A consumer's view of the published packages: pack every package (after `pnpm build`), check
# each tarball's contents, install the tarballs into a fresh project outside the workspace (npm
# registry for third-party dependencies), then use them from ESM, CJS, the bins, strict
# TypeScript (nodenext and bundler, skipLibCheck false) and a browser bundle (esbuild,
# platform=browser) of the browser-safe packages.
#
# Usage: bash scripts/consumer-test.sh [--keep]   (--keep leaves the temporary folder for a look)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
keep=${1:-}
work=$(mktemp -d "${TMPDIR:-/tmp}/judgekit-consumer-XXXXXX")
cleanup() { if [ "$keep" = --keep ]; then echo "consumer-test: left $work"; else rm -rf "$work"; fi; }
trap cleanup EXIT
export ONNXRUNTIME_NODE_INSTALL=skip npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
step() { echo "consumer-test: $*"; }

# Versions the workspace builds and type-checks with, so the check tests the packages, not a
# moving toolchain.
ts_version=$(node -p "require('./package.json').devDependencies.typescript")
types_node=$(node -p "require('./package.json').devDependencies['@types/node']")
esbuild_version=$(node -p "require(require.resolve('esbuild/package.json', { paths: [require.resolve('tsup')] })).version")

step "packing"
mkdir -p "$work/tarballs"
for dir in packages/*/; do
  [ -f "$dir/dist/index.js" ] || { echo "consumer-test: $dir has no dist; run pnpm build first" >&2; exit 1; }
  (cd "$dir" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done

step "checking tarball contents"
for tgz in "$work/tarballs"/*.tgz; do
  list=$(tar -tzf "$tgz")
  for f in package/LICENSE package/README.md package/package.json package/dist/index.js package/dist/index.cjs package/dist/index.d.ts package/dist/index.d.cts; do
    grep -qx "$f" <<<"$list" || { echo "consumer-test: $(basename "$tgz") lacks ${f#package/}" >&2; exit 1; }
  done
  if grep -E '\.test\.ts$|(^|/)fixtures/|\.vitest-results\.json$' <<<"$list"; then
    echo "consumer-test: $(basename "$tgz") ships test files" >&2; exit 1
  fi
  if tar -xzOf "$tgz" package/package.json | grep -q 'workspace:'; then
    echo "consumer-test: $(basename "$tgz") still has a workspace: range" >&2; exit 1
  fi
  if tar -xzOf "$tgz" package/README.md | grep -qE '\]\((\.\./|\./)'; then
    echo "consumer-test: $(basename "$tgz") README has a repository-relative link" >&2; exit 1
  fi
done

step "installing into a fresh project ($work/app)"
mkdir -p "$work/app/src"
cd "$work/app"
cat > package.json <<'EOF'
{ "name": "judgekit-consumer", "version": "0.0.0", "private": true, "type": "module" }
EOF
npm install --no-package-lock --loglevel=error "$work"/tarballs/*.tgz \
  "typescript@$ts_version" "@types/node@$types_node" "esbuild@$esbuild_version" >/dev/null
pkgs=(core prompts parsers rewards grpo baselines webgpu metrics models datasets pipelines)

step "ESM import of every package"
cat > esm.mjs <<'EOF'
const names = process.argv.slice(2);
for (const n of names) {
  const m = await import(n);
  const keys = Object.keys(m);
  if (keys.length === 0 || 'default' in m) throw new Error(`${n}: ${keys.length} named exports, default ${'default' in m}`);
}
const { parsePandaLm } = await import('@judgekit/parsers');
const { evaluateJudge } = await import('@judgekit/metrics');
const r = parsePandaLm('1\n\n### Reason: clearer', { mode: 'strict' });
if (!r.ok || r.value.verdict !== 'answer1') throw new Error(`parsePandaLm: ${JSON.stringify(r)}`);
const m = evaluateJudge({ predictions: ['answer1', 'tie', null], labels: ['answer1', 'answer2', 'tie'] });
if (Math.abs(m.accuracy - 1 / 3) > 1e-12) throw new Error(`evaluateJudge accuracy ${m.accuracy}`);
console.log(`esm ok: ${names.length} packages`);
EOF
node esm.mjs "${pkgs[@]/#/@judgekit/}" judgekit

step "CJS require of every package"
cat > cjs.cjs <<'EOF'
const names = process.argv.slice(2);
for (const n of names) {
  const m = require(n);
  if (Object.keys(m).length === 0) throw new Error(`${n}: no exports`);
}
const { getTemplate } = require('@judgekit/prompts');
if (getTemplate('pandalm/pair').outputFormat !== 'pandalm') throw new Error('getTemplate');
console.log(`cjs ok: ${names.length} packages`);
EOF
node cjs.cjs "${pkgs[@]/#/@judgekit/}" judgekit

step "bins"
npx --no-install judgekit --help | grep -q '^usage: judgekit' || { echo "consumer-test: judgekit --help" >&2; exit 1; }
npx --no-install judgekit-reward-server --help >/dev/null || { echo "consumer-test: judgekit-reward-server --help" >&2; exit 1; }
echo "bins ok"

step "strict TypeScript (nodenext and bundler, skipLibCheck false)"
# @judgekit/webgpu's declarations reference @webgpu/types (its dependency), which needs the DOM lib.
cat > src/use.ts <<'EOF'
import { JudgekitError, type Verdict } from '@judgekit/core';
import { getTemplate, render } from '@judgekit/prompts';
import { parsePandaLm } from '@judgekit/parsers';
import { computeJudgeLrmScore } from '@judgekit/rewards';
import { trlGrpoAdvantage } from '@judgekit/grpo';
import { bradleyTerryLoss } from '@judgekit/baselines';
import { evaluateJudge, type JudgeReport } from '@judgekit/metrics';
import type { JudgeModel } from '@judgekit/models';
import { parseLlmBar } from '@judgekit/datasets';
import { renderEvaluationHtml, scoreJudgeOutputs } from '@judgekit/pipelines';
import { getBackend } from '@judgekit/webgpu';

const template = getTemplate('pandalm/pair');
const messages = render(template, { id: '1', question: 'q', answer1: 'a', answer2: 'b' });
const parsed = parsePandaLm('2', { mode: 'strict' });
const verdict: Verdict | null = parsed.ok ? parsed.value.verdict : null;
const report: JudgeReport = evaluateJudge({ predictions: [verdict], labels: ['answer2'] });
const reward: number = computeJudgeLrmScore('<answer>8 6</answer>', [8, 6]).total;
const adv = trlGrpoAdvantage([1, 0, 1, 0], { numGenerations: 4 });
const bt = bradleyTerryLoss({ rewardsChosen: new Float64Array([1]), rewardsRejected: new Float64Array([0]) });
const samples = parseLlmBar('[{"input":"q","output_1":"a","output_2":"b","label":1}]', 'x.json');
const { result } = scoreJudgeOutputs({ outputs: ['1'], labels: ['answer1'], outputFormat: 'pandalm', bootstrap: false });
const html: string = renderEvaluationHtml(result, { title: 't' });
let model: JudgeModel | undefined;
const err: boolean = JudgekitError.isInstance(new Error('x'));
const backend: Promise<unknown> = Promise.resolve(getBackend);
export const used = [messages, report, reward, adv, bt, samples, html, model, err, backend];
EOF
cp src/use.ts src/use.mts
cat > src/use-cjs.cts <<'EOF'
import { evaluateJudge } from '@judgekit/metrics';
import { getTemplate } from '@judgekit/prompts';
export const acc: number = evaluateJudge({ predictions: ['tie'], labels: ['tie'] }).accuracy;
export const id: string = getTemplate('pandalm/pair').id;
EOF
common='"strict": true, "noEmit": true, "skipLibCheck": false, "target": "ES2022", "types": ["node"], "lib": ["ES2022", "DOM"], "exactOptionalPropertyTypes": true, "noUncheckedIndexedAccess": true'
echo "{ \"compilerOptions\": { $common, \"module\": \"nodenext\", \"moduleResolution\": \"nodenext\" }, \"files\": [\"src/use.mts\", \"src/use-cjs.cts\"] }" > tsconfig.nodenext.json
echo "{ \"compilerOptions\": { $common, \"module\": \"esnext\", \"moduleResolution\": \"bundler\" }, \"files\": [\"src/use.ts\"] }" > tsconfig.bundler.json
npx --no-install tsc -p tsconfig.nodenext.json
npx --no-install tsc -p tsconfig.bundler.json
echo "typescript ok: nodenext (ESM + CJS) and bundler"

step "browser bundle of the browser-safe packages (esbuild, platform=browser)"
# Left out: models, datasets, pipelines and the cli read files or start servers; webgpu is checked
# by its own browser test; rewards, because its public door also exports the reward HTTP server
# (createRewardServer, startRewardServerFromArgs: node fs/util/http), so a browser bundler cannot
# resolve it. A server-free entry point (e.g. `@judgekit/rewards/functions`) would let it in.
cat > src/browser.ts <<'EOF'
import { createRng } from '@judgekit/core';
import { getTemplate, render } from '@judgekit/prompts';
import { parsePandaLm } from '@judgekit/parsers';
import { evaluateJudge } from '@judgekit/metrics';
import { trlGrpoAdvantage } from '@judgekit/grpo';
import { bradleyTerryLoss } from '@judgekit/baselines';

const rng = createRng(1);
const messages = render(getTemplate('pandalm/pair'), { id: '1', question: 'q', answer1: 'a', answer2: 'b' }).messages;
const p = parsePandaLm('1', { mode: 'strict' });
const m = evaluateJudge({ predictions: [p.ok ? p.value.verdict : null], labels: ['answer1'] });
const a = trlGrpoAdvantage([1, 0], { numGenerations: 2 });
const bt = bradleyTerryLoss({ rewardsChosen: new Float64Array([2]), rewardsRejected: new Float64Array([0]) });
console.log(JSON.stringify({ rng: typeof rng, messages: messages.length > 0, accuracy: m.accuracy, adv: a.advantages.length, bt: Number.isFinite(bt.loss) }));
EOF
npx --no-install esbuild src/browser.ts --bundle --platform=browser --format=esm --log-level=warning --outfile=browser-bundle.js
if grep -qE "from ?['\"]node:|require\(['\"]node:" browser-bundle.js; then
  echo "consumer-test: the browser bundle imports node: modules" >&2; exit 1
fi
out=$(node browser-bundle.js)
[ "$out" = '{"rng":"object","messages":true,"accuracy":1,"adv":2,"bt":true}' ] || { echo "consumer-test: browser bundle printed $out" >&2; exit 1; }
echo "browser bundle ok: $(wc -c < browser-bundle.js) bytes"
cd "$root"
step "all checks passed"
