/**
 * What the proxy's bundle loads at start-up (issue #18's RSS budget): the validation stack of
 * `@trellis/mesh-api` (ajv, yaml, the CRD schemas — ~3.5 MB of RSS) stays out because that lib is
 * side-effect free (`"sideEffects": false`), and jose (~1.6 MB) is imported on the first JWT
 * signature check only; of node-forge only the ASN.1 codec is loaded (the CSR), not its index, which loads
 * all of forge (~2 MB). Bundled with the build's own esbuild configuration (tools/build/bundle.mjs) and
 * the proxy's ascii-source plugin: pure ASCII, so V8 keeps the 0.55 MB source one-byte (not twice that).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const script = `
const { bundleNode } = await import(${JSON.stringify(path.join(root, 'tools/build/bundle.mjs'))});
const { asciiSource } = await import(${JSON.stringify(path.join(root, 'tools/build/ascii-source.mjs'))});
const r = await bundleNode({ entryPoints: [${JSON.stringify(path.join(root, 'apps/proxy/src/main.ts'))}], outfile: '/dev/null/main.js', write: false, plugins: [asciiSource] });
process.stdout.write(r.outputFiles[0].text);
`;

function bundledCode(): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, maxBuffer: 64 << 20, timeout: 60_000 }).toString();
}

describe('the proxy bundle', () => {
  const code = bundledCode();
  const required = new Set([...code.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]));

  it('does not load the config validation stack (ajv, yaml) at start-up', () => {
    expect(required.has('ajv')).toBe(false);
    expect(required.has('yaml')).toBe(false);
  });

  it('loads jose lazily, by a dynamic import', () => {
    expect(required.has('jose')).toBe(false);
    expect(code).toMatch(/import\("jose"\)/);
  });

  it('loads the ASN.1 module of node-forge, not the whole of forge', () => {
    expect(required.has('node-forge')).toBe(false);
    expect(code).toContain('"node-forge/lib/asn1"');
  });

  it('is pure ASCII (a one-byte string in V8), non-ASCII text kept as \\u escapes', () => {
    expect([...code].filter((c) => c.charCodeAt(0) > 0x7f)).toEqual([]);
    expect(code).toContain('us|\\u00b5s|'); // Go's duration units (drain.ts) still accept `µs`
  });

  it('still bundles the proxy itself', () => {
    expect(required.has('pino')).toBe(true);
  });
});
