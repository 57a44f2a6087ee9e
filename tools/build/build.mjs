#!/usr/bin/env node
// Bundles every app (apps/<name>/src/main.ts) into dist/apps/<name>/main.js with esbuild.
// Workspace libs are inlined; npm packages stay external (node_modules is present at run time,
// and in images `npm ci --omit=dev` provides them).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync, cpSync } from 'node:fs';
import path from 'node:path';
import { bundleNode, root } from './bundle.mjs';
import { asciiSource } from './ascii-source.mjs';
import { ADDON_FILE, buildOriginalDst } from '../../libs/mesh/proxy/native/original-dst/build.mjs';

const quiet = process.argv.includes('--quiet');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));

const apps = readdirSync(path.join(root, 'apps')).filter(
  (name) => existsSync(path.join(root, 'apps', name, 'src/main.ts')) && (only.length === 0 || only.includes(name)),
);

// Requiring @grpc/grpc-js or the protobuf packages has no side effect our code relies on, so a bundle
// drops the require when nothing it keeps uses it: the proxy takes only the ADS client from
// @trellis/mesh-xds (node:http2, hand-written envelopes, the wire-schema decoder), not its grpc-js
// server or protobufjs reflection, and should not pay their memory.
const pureOnImport = {
  name: 'pure-on-import',
  setup(b) {
    b.onResolve({ filter: /^(@grpc\/grpc-js|protobufjs|@grpc\/proto-loader)(\/|$)/ }, (args) => ({ path: args.path, external: true, sideEffects: false }));
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
      // The proxy's source as a one-byte string (issue #18's RSS budget): ascii-source.mjs.
      plugins: name === 'proxy' ? [pureOnImport, asciiSource] : [pureOnImport],
    });
    const assets = path.join(root, 'apps', name, 'src/assets');
    if (existsSync(assets)) cpSync(assets, path.join(outdir, 'assets'), { recursive: true });
  }),
);
/** Descriptor and wire schema, regenerated only when the protos or their loaders changed since written. */
async function envoyProtoFiles() {
  const out = { descriptor: path.join(root, 'dist/tools/envoy-descriptor.json'), schema: path.join(root, 'dist/tools/envoy-wire-schema.json') };
  const inputs = ['libs/mesh/xds/src/proto/root.ts', 'libs/mesh/xds/src/proto/wire-schema-build.ts', 'node_modules/@grpc/grpc-js-xds/package.json'];
  const newest = Math.max(...inputs.map((f) => statSync(path.join(root, f)).mtimeMs));
  if (Object.values(out).every((f) => existsSync(f) && statSync(f).mtimeMs >= newest)) return out;
  const tool = path.join(root, 'dist/tools/envoy-descriptor.js');
  await bundleNode({ entryPoints: [path.join(root, 'tools/build/envoy-descriptor.ts')], outfile: tool });
  execFileSync(process.execPath, [tool, out.descriptor, out.schema], { stdio: 'inherit' });
  return out;
}

// Apps that load the Envoy protos get them prebuilt next to their bundle: the protobufjs descriptor
// (proto/root.ts) where protobufjs is loaded, the wire schema (proto/wire-schema.ts) where the lean
// decoder is used. Both are looked up by file name, which is how a bundle is recognised as needing one.
const bundles = apps.map((name) => ({ dir: path.join(root, 'dist/apps', name), code: readFileSync(path.join(root, 'dist/apps', name, 'main.js'), 'utf8') }));
const wants = { descriptor: bundles.filter((b) => b.code.includes('envoy-descriptor.json')), schema: bundles.filter((b) => b.code.includes('envoy-wire-schema.json')) };
if (wants.descriptor.length + wants.schema.length > 0) {
  const files = await envoyProtoFiles();
  for (const b of wants.descriptor) copyFileSync(files.descriptor, path.join(b.dir, 'envoy-descriptor.json'));
  for (const b of wants.schema) copyFileSync(files.schema, path.join(b.dir, 'envoy-wire-schema.json'));
}
// The SO_ORIGINAL_DST addon (libs/mesh/proxy/native/original-dst, unsafe/original-dst.ts) goes next to
// every bundle that looks it up by name (the proxy). Compiled once per source hash and Node version
// into dist/native/; without a C toolchain the proxy falls back to Host routing, so say so and go on.
const wantsAddon = bundles.filter((b) => b.code.includes(ADDON_FILE));
if (wantsAddon.length > 0) {
  const addon = buildOriginalDst();
  if (addon.error !== undefined) process.stdout.write(`${ADDON_FILE} not built (${addon.error}): the proxy will route captured traffic by Host only\n`);
  else for (const b of wantsAddon) copyFileSync(addon.file, path.join(b.dir, ADDON_FILE));
}
// go-httpbin for the httpbin sample (npm start -- --with httpbin): built once into ~/.cache/trellis by
// tools/samples/build-httpbin.sh when Debian's Go is there; otherwise it says so in one line and we go on.
if (only.length === 0 || only.includes('local-runner')) {
  try {
    execFileSync('bash', [path.join(root, 'tools/samples/build-httpbin.sh'), '--if-go'], { stdio: 'inherit' });
  } catch {
    process.stdout.write('go-httpbin not built (tools/samples/build-httpbin.sh failed, see above): npm start -- --with httpbin needs it\n');
  }
}
mkdirSync(path.join(root, 'dist/apps'), { recursive: true });
// The marker means "every app is built" (jest's global setup checks it), so partial builds don't write it.
if (only.length === 0) writeFileSync(path.join(root, 'dist/apps/.built'), new Date().toISOString() + '\n');
if (!quiet) process.stdout.write(`built ${apps.length} apps in ${Date.now() - started} ms: ${apps.join(', ')}\n`);
