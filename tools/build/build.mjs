#!/usr/bin/env node
// Bundles every app (apps/<name>/src/main.ts) into dist/apps/<name>/main.js with esbuild.
// Workspace libs are inlined; npm packages stay external (node_modules is present at run time,
// and in images `npm ci --omit=dev` provides them).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const quiet = process.argv.includes('--quiet');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));

const apps = readdirSync(path.join(root, 'apps')).filter(
  (name) => existsSync(path.join(root, 'apps', name, 'src/main.ts')) && (only.length === 0 || only.includes(name)),
);

// Requiring @grpc/grpc-js has no side effect our code relies on, so a bundle drops the require when
// nothing it keeps uses it: the proxy takes only the ADS client from @trellis/mesh-xds (node:http2),
// not its grpc-js server, and should not pay grpc-js's memory.
const pureOnImport = {
  name: 'pure-on-import',
  setup(b) {
    b.onResolve({ filter: /^@grpc\/grpc-js(\/|$)/ }, (args) => ({ path: args.path, external: true, sideEffects: false }));
  },
};

const started = Date.now();
await Promise.all(
  apps.map(async (name) => {
    const outdir = path.join(root, 'dist/apps', name);
    await build({
      entryPoints: [path.join(root, 'apps', name, 'src/main.ts')],
      outfile: path.join(outdir, 'main.js'),
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      sourcemap: 'linked',
      tsconfig: path.join(root, 'tsconfig.base.json'),
      logLevel: 'warning',
      plugins: [pureOnImport],
    });
    const assets = path.join(root, 'apps', name, 'src/assets');
    if (existsSync(assets)) cpSync(assets, path.join(outdir, 'assets'), { recursive: true });
  }),
);
// Apps that load the Envoy protos get them as a prebuilt JSON descriptor (proto/root.ts).
const protoApps = apps
  .map((name) => path.join(root, 'dist/apps', name))
  .filter((dir) => readFileSync(path.join(dir, 'main.js'), 'utf8').includes('require("protobufjs")'));
if (protoApps.length > 0) {
  const tool = path.join(root, 'dist/tools/envoy-descriptor.js');
  await build({
    entryPoints: [path.join(root, 'tools/build/envoy-descriptor.ts')],
    outfile: tool,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    tsconfig: path.join(root, 'tsconfig.base.json'),
    logLevel: 'warning',
  });
  execFileSync(process.execPath, [tool, ...protoApps], { stdio: 'inherit' });
}
mkdirSync(path.join(root, 'dist/apps'), { recursive: true });
// The marker means "every app is built" (jest's global setup checks it), so partial builds don't write it.
if (only.length === 0) writeFileSync(path.join(root, 'dist/apps/.built'), new Date().toISOString() + '\n');
if (!quiet) process.stdout.write(`built ${apps.length} apps in ${Date.now() - started} ms: ${apps.join(', ')}\n`);
