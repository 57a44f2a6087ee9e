#!/usr/bin/env node
// Compiles the SO_ORIGINAL_DST addon (original_dst.c, N-API) with node-gyp, once per source hash
// and Node version: the result is cached as dist/native/original-dst-<key>/original_dst.node and
// reused. node-gyp runs in a temporary copy of this folder (no build/ in the repository) with
// --nodedir pointing at the running Node's own headers, so it never downloads anything.
//
//   node libs/mesh/proxy/native/original-dst/build.mjs [--out FILE] [--strict]
//
// Prints the cached .node path (and copies it to FILE). Without a toolchain (cc/c++, make, python3)
// or Node headers it prints one line saying why and exits 0, or 1 with --strict (the proxy image,
// where the toolchain is installed and a failure is real). tools/build/build.mjs imports
// `buildOriginalDst` and the jest test of unsafe/original-dst.ts runs this file.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../../../..');
export const ADDON_FILE = 'original_dst.node';
const SOURCES = ['original_dst.c', 'binding.gyp'];

function onPath(bin) {
  return (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':').some((dir) => {
    try {
      accessSync(path.join(dir, bin), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The directory whose include/node holds the running Node's headers (/usr here, /usr/local in node images). */
function nodeDir() {
  const candidates = [path.resolve(path.dirname(process.execPath), '..'), '/usr', '/usr/local'];
  return candidates.find((d) => existsSync(path.join(d, 'include/node/node_api.h')));
}

function nodeGyp() {
  try {
    return createRequire(path.join(root, 'package.json')).resolve('node-gyp/bin/node-gyp.js');
  } catch {
    return process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp) ? process.env.npm_config_node_gyp : undefined;
  }
}

/** Why the addon cannot be built here, or undefined. */
export function missingToolchain() {
  if (process.platform !== 'linux') return 'SO_ORIGINAL_DST is Linux-only';
  const missing = [['cc', 'gcc'], ['c++', 'g++'], ['make'], ['python3']].filter((alts) => !alts.some(onPath)).map((alts) => alts.at(-1));
  if (missing.length > 0) return `missing ${missing.join(', ')} (apt-get install -y g++ make python3)`;
  if (nodeDir() === undefined) return `no Node headers (include/node/node_api.h) for ${process.execPath}`;
  if (nodeGyp() === undefined) return 'node-gyp not installed (npm ci)';
  return undefined;
}

/** The cache key: the sources, the Node version and the architecture. */
export function cacheKey() {
  const h = createHash('sha256');
  for (const f of SOURCES) h.update(f).update('\0').update(readFileSync(path.join(here, f))).update('\0');
  h.update(`${process.version} ${process.arch} ${process.platform}`);
  return h.digest('hex').slice(0, 16);
}

/**
 * Build (or reuse) the addon. Returns { file, cached } or { error } (a one-line reason); never throws.
 * `cacheDir` defaults to dist/native in the repository.
 */
export function buildOriginalDst({ cacheDir = path.join(root, 'dist/native') } = {}) {
  const target = path.join(cacheDir, `original-dst-${cacheKey()}`, ADDON_FILE);
  if (existsSync(target)) return { file: target, cached: true };
  const missing = missingToolchain();
  if (missing !== undefined) return { error: missing };
  const work = mkdtempSync(path.join(tmpdir(), 'trellis-original-dst-'));
  try {
    for (const f of SOURCES) cpSync(path.join(here, f), path.join(work, f));
    execFileSync(process.execPath, [nodeGyp(), 'rebuild', `--nodedir=${nodeDir()}`, '--loglevel=error'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_devdir: work } });
    mkdirSync(path.dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}`;
    copyFileSync(path.join(work, 'build/Release', ADDON_FILE), partial);
    renameSync(partial, target); // atomic: concurrent builds (jest workers, npm run build) never see half a file
    return { file: target, cached: false };
  } catch (err) {
    const out = `${err.stderr ?? ''}${err.stdout ?? ''}`.trim().split('\n').filter(Boolean);
    return { error: `node-gyp failed: ${out.slice(-3).join(' | ') || err.message}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const r = buildOriginalDst();
  if (r.error !== undefined) {
    process.stderr.write(`original_dst addon not built: ${r.error}\n`);
    process.exit(args.includes('--strict') ? 1 : 0);
  }
  if (outAt >= 0) {
    mkdirSync(path.dirname(path.resolve(args[outAt + 1])), { recursive: true });
    copyFileSync(r.file, args[outAt + 1]);
  }
  process.stdout.write(`${r.file}\n`);
}
