#!/usr/bin/env node
// The keyward CLI. Runs the compiled code: `npm ci` builds it (prepare), or `npm run build`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const entry = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('keyward: not built yet; run `npm run build` in the keyward folder first\n');
  process.exit(1);
}
require(entry);
