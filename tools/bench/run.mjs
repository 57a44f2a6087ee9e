#!/usr/bin/env node
// Runs a benchmark written in TypeScript (tools/bench/src/<name>.ts): bundles it with esbuild
// (workspace libs resolved through tsconfig paths), then runs it with the remaining arguments.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { bundleNode, root } from '../build/bundle.mjs';
const [name, ...args] = process.argv.slice(2);
if (!name) {
  process.stderr.write('usage: node tools/bench/run.mjs <control-plane|proxy> [args]\n');
  process.exit(2);
}
spawnSync(process.execPath, [path.join(root, 'tools/build/build.mjs'), '--quiet'], { stdio: 'inherit' });
const outfile = path.join(root, 'dist/bench', `${name}.js`);
await bundleNode({ entryPoints: [path.join(root, 'tools/bench/src', `${name}.ts`)], outfile });
const r = spawnSync(process.execPath, ['--max-old-space-size=4096', outfile, ...args], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);
