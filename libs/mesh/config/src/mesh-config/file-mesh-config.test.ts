import { mkdtemp, rm, writeFile, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MeshSnapshot } from '@trellis/mesh-api';
import { LocalRegistry } from '../registry/local-registry';
import { SnapshotBuilder } from '../snapshot/snapshot-builder';
import { MemoryConfigStore } from '../store/memory-store';
import type { JwksSource } from '../jwks/jwks-resolver';
import { FileMeshConfig } from './file-mesh-config';
import { parseMeshConfig } from './mesh-config-source';

const until = async (check: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('parseMeshConfig', () => {
  it('reads Istio YAML; empty is nothing set; a non-mapping or bad field is MESH_CONFIG_INVALID naming the origin', () => {
    expect(parseMeshConfig('accessLogFile: /dev/stdout\nextensionProviders:\n- name: ext\n  envoyExtAuthzHttp: {service: a, port: 80}\n', 'm.yaml')).toEqual({
      accessLogFile: '/dev/stdout',
      extensionProviders: [{ name: 'ext', envoyExtAuthzHttp: { service: 'a', port: 80 } }],
    });
    expect(parseMeshConfig('extensionProviders:\n- name: grpc\n  envoyExtAuthzGrpc: {service: a, port: "9000"}\n', 'm.yaml').extensionProviders?.[0]?.envoyExtAuthzGrpc?.port).toBe(9000);
    expect(parseMeshConfig('', 'm.yaml')).toEqual({});
    expect(() => parseMeshConfig('- a', 'm.yaml')).toThrow(expect.objectContaining({ code: 'MESH_CONFIG_INVALID', message: 'm.yaml: MeshConfig must be a YAML mapping' }));
    expect(() => parseMeshConfig('extensionProviders: {a: 1}', 'm.yaml')).toThrow(/extensionProviders must be a list/);
    expect(() => parseMeshConfig('a: [', 'm.yaml')).toThrow(expect.objectContaining({ code: 'MESH_CONFIG_INVALID' }));
  });
});

describe('FileMeshConfig + SnapshotBuilder (real files, fs.watch)', () => {
  let dir: string;
  let source: FileMeshConfig | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'trellis-mesh-'));
  });
  afterEach(async () => {
    source?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('missing file = defaults; created, edited (also by rename), and a parse error keeps the last good', async () => {
    const file = path.join(dir, 'mesh.yaml');
    source = await FileMeshConfig.open({ file, settleMs: 10 });
    const builder = new SnapshotBuilder({ store: new MemoryConfigStore(), registry: new LocalRegistry(), meshConfig: source });
    const mc = (): MeshSnapshot['meshConfig'] => builder.current().meshConfig;
    expect(mc()).toMatchObject({ rootNamespace: 'istio-system', accessLogFile: '' });

    await writeFile(file, 'accessLogFile: /dev/stdout\n');
    await until(() => mc()?.accessLogFile === '/dev/stdout');
    const revision = builder.current().revision;

    await writeFile(file, 'accessLogFile: [unclosed\n');
    await new Promise((r) => setTimeout(r, 150));
    expect(mc()?.accessLogFile).toBe('/dev/stdout');
    expect(builder.current().revision).toBe(revision);

    await writeFile(path.join(dir, 'mesh.tmp'), 'accessLogFile: /tmp/log\nrootNamespace: mesh-root\n');
    await rename(path.join(dir, 'mesh.tmp'), file);
    await until(() => mc()?.accessLogFile === '/tmp/log');
    expect(builder.current().rootNamespace).toBe('mesh-root');
    builder.close();
  });

  it('the builder rebuilds on JWKS changes and carries the keys', () => {
    let jwks: Record<string, string> = {};
    let notify = (): void => undefined;
    const source: JwksSource = { jwks: () => jwks, onChange: (l) => ((notify = l), () => undefined) };
    const builder = new SnapshotBuilder({ store: new MemoryConfigStore(), registry: new LocalRegistry(), jwks: source });
    expect(builder.current().jwks).toEqual({});
    jwks = { 'https://x/jwks': '{"keys":[]}' };
    notify();
    expect(builder.current()).toMatchObject({ revision: 2, jwks: { 'https://x/jwks': '{"keys":[]}' } });
    builder.close();
  });
});
