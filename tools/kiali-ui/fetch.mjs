#!/usr/bin/env node
// Fetches the prebuilt Kiali UI (@kiali/kiali-ui, Apache-2.0) the Kiali backend (apps/kiali) serves:
// `npm pack` of the pinned version, its sha512 integrity checked against the one written below, then
// package/build and package/LICENSE extracted into ~/.cache/trellis/kiali-ui-<version>/ (outside the
// repository). Not an `npm install`: the package's 46 runtime dependencies are already bundled in build/,
// and its engines field (node <15) would warn on Node 20.
//   node tools/kiali-ui/fetch.mjs            fetch when missing, print the directory
//   node tools/kiali-ui/fetch.mjs --check    exit 1 (naming this command) when missing, fetch nothing
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const KIALI_UI_PACKAGE = '@kiali/kiali-ui';
export const KIALI_UI_VERSION = '1.31.0';
export const KIALI_UI_INTEGRITY = 'sha512-D3MKdvDhaHItaMzbx8EeqXO1FDFWklhk5xJdb0ztcEEsZ7kNcv2tmK14LLiX3JfqE8qc908or9Z2PX+qR3DIDg==';

const cacheRoot = process.env.TRELLIS_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'trellis');
const target = path.join(cacheRoot, `kiali-ui-${KIALI_UI_VERSION}`);
const marker = path.join(target, '.integrity');

const complete = () => existsSync(path.join(target, 'build', 'index.html')) && existsSync(path.join(target, 'LICENSE')) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === KIALI_UI_INTEGRITY;

function fetchInto(dir) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'kiali-ui-'));
  try {
    execFileSync('npm', ['pack', `${KIALI_UI_PACKAGE}@${KIALI_UI_VERSION}`, '--pack-destination', work, '--silent'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (tgz === undefined) throw new Error('npm pack wrote no tarball');
    const integrity = 'sha512-' + createHash('sha512').update(readFileSync(path.join(work, tgz))).digest('base64');
    if (integrity !== KIALI_UI_INTEGRITY) throw new Error(`integrity mismatch for ${KIALI_UI_PACKAGE}@${KIALI_UI_VERSION}: got ${integrity}, want ${KIALI_UI_INTEGRITY}`);
    execFileSync('tar', ['-xzf', path.join(work, tgz), '-C', work, 'package/build', 'package/LICENSE']);
    writeFileSync(path.join(work, 'package', '.integrity'), KIALI_UI_INTEGRITY + '\n');
    mkdirSync(path.dirname(dir), { recursive: true });
    rmSync(dir, { recursive: true, force: true });
    renameSync(path.join(work, 'package'), dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (complete()) {
  process.stdout.write(target + '\n');
} else if (process.argv.includes('--check')) {
  process.stderr.write(`Kiali UI ${KIALI_UI_VERSION} is not in ${target}: run node tools/kiali-ui/fetch.mjs\n`);
  process.exit(1);
} else {
  try {
    fetchInto(target);
  } catch (err) {
    process.stderr.write(`kiali-ui: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  process.stdout.write(target + '\n');
}
