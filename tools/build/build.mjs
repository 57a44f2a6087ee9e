#!/usr/bin/env node
// Bundles every app (apps/<name>/src/main.ts) into dist/apps/<name>/main.js with esbuild.
// Workspace libs are inlined; npm packages stay external (node_modules is present at run time,
// and in images `npm ci --omit=dev` provides them).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import path from 'node:path';
import { bundleNode, root } from './bundle.mjs';

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
    await bundleNode({
      entryPoints: [path.join(root, 'apps', name, 'src/main.ts')],
      outfile: path.join(outdir, 'main.js'),
      sourcemap: 'linked',
      plugins: [pureOnImport],
    });
    const assets = path.join(root, 'apps', name, 'src/assets');
    if (existsSync(assets)) cpSync(assets, path.join(outdir, 'assets'), { recursive: true });
  }),
);
/** The descriptor, regenerated only when the protos or their loader changed since it was written. */
async function envoyDescriptor() {
  const out = path.join(root, 'dist/tools/envoy-descriptor.json');
  const inputs = ['libs/mesh/xds/src/proto/root.ts', 'node_modules/@grpc/grpc-js-xds/package.json'];
  const newest = Math.max(...inputs.map((f) => statSync(path.join(root, f)).mtimeMs));
  if (existsSync(out) && statSync(out).mtimeMs >= newest) return out;
  const tool = path.join(root, 'dist/tools/envoy-descriptor.js');
  await bundleNode({ entryPoints: [path.join(root, 'tools/build/envoy-descriptor.ts')], outfile: tool });
  execFileSync(process.execPath, [tool, out], { stdio: 'inherit' });
  return out;
}

// Apps that load the Envoy protos get them as a prebuilt JSON descriptor (proto/root.ts).
const protoApps = apps
  .map((name) => path.join(root, 'dist/apps', name))
  .filter((dir) => readFileSync(path.join(dir, 'main.js'), 'utf8').includes('require("protobufjs")'));
if (protoApps.length > 0) {
  const descriptor = await envoyDescriptor();
  for (const dir of protoApps) copyFileSync(descriptor, path.join(dir, 'envoy-descriptor.json'));
}
mkdirSync(path.join(root, 'dist/apps'), { recursive: true });
// The marker means "every app is built" (jest's global setup checks it), so partial builds don't write it.
if (only.length === 0) writeFileSync(path.join(root, 'dist/apps/.built'), new Date().toISOString() + '\n');
if (!quiet) process.stdout.write(`built ${apps.length} apps in ${Date.now() - started} ms: ${apps.join(', ')}\n`);
