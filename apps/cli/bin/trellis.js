#!/usr/bin/env node
// `npx trellis …`: runs the bundled CLI, building it first on a fresh checkout.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '../../..');
const main = path.join(root, 'dist/apps/cli/main.js');
if (!fs.existsSync(main)) {
  execFileSync(process.execPath, [path.join(root, 'tools/build/build.mjs'), '--quiet', 'cli'], { stdio: 'inherit' });
}
require(main);
