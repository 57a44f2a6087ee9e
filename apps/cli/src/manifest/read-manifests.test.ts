import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { parseManifestText, readManifests } from './read-manifests';

const VS = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
`;
const DR = `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews
`;

function names(docs: { object: Record<string, unknown> }[]): string[] {
  return docs.map((d) => `${String(d.object['kind'])}/${String((d.object['metadata'] as { name: string }).name)}`);
}

describe('parseManifestText', () => {
  it('reads multi-document YAML and skips empty documents', () => {
    const docs = parseManifestText(`---\n${VS}---\n---\n${DR}`, 'x.yaml');
    expect(names(docs)).toEqual(['VirtualService/reviews', 'DestinationRule/reviews']);
    expect(docs[0]!.source).toBe('x.yaml');
  });

  it('reads JSON and flattens kind: List', () => {
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ kind: 'Gateway', metadata: { name: 'gw' } }] });
    expect(names(parseManifestText(list, 'l.json'))).toEqual(['Gateway/gw']);
  });

  it('reports syntax errors with the source', () => {
    expect(() => parseManifestText('a: [1,\n', 'bad.yaml')).toThrow(/error parsing bad.yaml/);
    expect(() => parseManifestText('- 1\n- 2\n', 'list.yaml')).toThrow(/not an object/);
  });
});

describe('readManifests', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-cli-'));
  mkdirSync(path.join(dir, 'net'));
  writeFileSync(path.join(dir, 'net', 'b.yaml'), DR);
  writeFileSync(path.join(dir, 'net', 'a.yml'), VS);
  writeFileSync(path.join(dir, 'net', 'c.json'), JSON.stringify({ kind: 'Gateway', metadata: { name: 'g' } }));
  writeFileSync(path.join(dir, 'net', 'README.md'), '# not a manifest');
  writeFileSync(path.join(dir, 'one.yaml'), VS);

  it('reads directories sorted by name, only manifest extensions', async () => {
    const docs = await readManifests(['net'], dir, Readable.from([]));
    expect(names(docs)).toEqual(['VirtualService/reviews', 'DestinationRule/reviews', 'Gateway/g']);
    expect(docs.map((d) => d.source)).toEqual([path.join('net', 'a.yml'), path.join('net', 'b.yaml'), path.join('net', 'c.json')]);
  });

  it('reads files and stdin (-) in argument order', async () => {
    const docs = await readManifests(['one.yaml', '-'], dir, Readable.from([Buffer.from(DR)]));
    expect(names(docs)).toEqual(['VirtualService/reviews', 'DestinationRule/reviews']);
    expect(docs[1]!.source).toBe('STDIN');
  });

  it('fails on a missing path', async () => {
    await expect(readManifests(['nope.yaml'], dir, Readable.from([]))).rejects.toThrow('the path "nope.yaml" does not exist');
  });
});
