// One esbuild configuration for every Node bundle of the workspace (apps, build tools, benchmarks):
// workspace libs inlined through tsconfig paths, npm packages left external (node_modules at run time).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `options`: esbuild's (entryPoints, outfile, …), over the shared defaults. */
export function bundleNode(options) {
  return build({
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    tsconfig: path.join(root, 'tsconfig.base.json'),
    logLevel: 'warning',
    ...options,
  });
}
