// esbuild plugin: the workspace's TypeScript reaches the bundle as pure ASCII. Node reads a bundle
// into one JS string and V8 keeps a script's source for lazy compilation: a single non-ASCII
// character anywhere (a `—` in a comment, `µs` in a regular expression) makes that string two-byte,
// twice its size (the proxy's 0.55 MB bundle: +0.55 MB of heap per process, issue #18). esbuild's
// `charset: 'ascii'` escapes strings and identifiers but keeps comments and regex literals as written,
// so every non-ASCII code unit becomes a `\uXXXX` escape here: the same value in strings, templates,
// regular expressions and identifiers, and mere text in comments (no String.raw in the proxy uses one).
// The source map's sourcesContent shows the escapes (columns after one on its line shift by five).
import { readFile } from 'node:fs/promises';

const NON_ASCII = /[^\x00-\x7f]/g;
const escape = (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

export const asciiSource = {
  name: 'ascii-source',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = await readFile(args.path, 'utf8');
      return { contents: text.replace(NON_ASCII, escape), loader: 'ts' };
    });
  },
};
