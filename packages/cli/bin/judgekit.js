#!/usr/bin/env node
// The `judgekit` executable. This file is in the source tree (not dist/) so that package managers
// can link the bin before the package is built; it runs the built command.
import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write('judgekit: this package is not built (dist/cli.js is missing); run `pnpm build`\n');
    process.exit(1);
  }
  throw error;
});
