// Integration tests start the built apps as real processes; build them once if absent.
const { existsSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function globalSetup() {
  const root = path.resolve(__dirname, '../..');
  if (!existsSync(path.join(root, 'dist/apps/.built'))) {
    execFileSync(process.execPath, [path.join(root, 'tools/build/build.mjs'), '--quiet'], { stdio: 'inherit' });
  }
};
