#!/usr/bin/env bash
# Scaffold packages/<name> with the monorepo's conventions: one public door (src/index.ts),
# ESM + CJS + .d.ts through tsup, vitest through the shared config, publint + attw hygiene.
# usage: scripts/new-package.sh <name> "<description>" [workspace-deps...]
set -euo pipefail
name=$1; desc=$2; shift 2
dir="packages/$name"
mkdir -p "$dir/src"
deps=""
for d in "$@"; do deps="$deps\"@judgekit/$d\": \"workspace:^\","; done
deps=${deps%,}
cat > "$dir/package.json" <<JSON
{
  "name": "@judgekit/$name",
  "version": "0.1.0",
  "description": "$desc",
  "license": "Apache-2.0",
  "type": "module",
  "sideEffects": false,
  "exports": {
    ".": {
      "@judgekit/source": "./src/index.ts",
      "import": { "types": "./dist/index.d.ts", "default": "./dist/index.js" },
      "require": { "types": "./dist/index.d.cts", "default": "./dist/index.cjs" }
    },
    "./package.json": "./package.json"
  },
  "main": "./dist/index.cjs",
  "module": "./dist/index.js",
  "types": "./dist/index.d.ts",
  "files": ["dist", "src", "!src/**/*.test.ts"],
  "repository": { "type": "git", "url": "git+https://github.com/judgekit/judgekit.git", "directory": "$dir" },
  "engines": { "node": ">=20" },
  "scripts": {
    "build": "tsup",
    "typecheck": "tsc --noEmit",
    "test": "vitest run --reporter=default --reporter=json --outputFile=.vitest-results.json",
    "check:package": "publint --strict && attw --pack . --profile node16"
  },
  "dependencies": { $deps }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "include": ["src", "test", "bench", "*.ts"]
}
JSON
cat > "$dir/tsup.config.ts" <<'TS'
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: { compilerOptions: { customConditions: [] } },
  sourcemap: true,
  clean: true,
  target: 'node20',
});
TS
cat > "$dir/vitest.config.ts" <<'TS'
export { default } from '../../vitest.shared.ts';
TS
[ -f "$dir/src/index.ts" ] || echo "export {};" > "$dir/src/index.ts"
