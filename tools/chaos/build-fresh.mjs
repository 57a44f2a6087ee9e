// Whether dist/ was built after the last change to any source it bundles: the CI profile runs right
// after `npm test`, which builds first, so it skips its own build then (tools/build/build.mjs writes
// dist/apps/.built only after a full build).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SKIP = new Set(['node_modules', 'dist', '.git', 'coverage']);

/** The newest mtime (ms) of a file under `dir`, skipping build output and dependencies. */
function newestUnder(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** dist/apps/.built is newer than every file under apps/, libs/, samples/ and tools/build/. */
export function distIsFresh(root) {
  const marker = path.join(root, 'dist/apps/.built');
  if (!existsSync(marker)) return false;
  const built = statSync(marker).mtimeMs;
  return ['apps', 'libs', 'samples', 'tools/build'].every((d) => !existsSync(path.join(root, d)) || newestUnder(path.join(root, d)) <= built);
}
