import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gatewaySpec, sidecarSpec } from './process-specs';
import type { LocalPlan, PodPlan } from './plan';
import { readMeshProxyDefaults, readProxyMetadata } from './proxy-metadata';

const POD = { name: 'ratings-v1-a', namespace: 'default', deployment: 'ratings-v1', ip: '127.0.77.10', labels: { app: 'ratings' }, serviceAccount: 'bookinfo-ratings', app: 'ratings', env: {}, appEndpoints: { '9080': '127.0.77.10:19080' } } as PodPlan;
const PLAN = { controlPlane: { ip: '127.0.77.1', xdsPort: 15010, httpPort: 15014, caPort: 15012 }, gateway: { ip: '127.0.77.2', name: 'istio-ingressgateway-0', namespace: 'istio-system', labels: {}, publish: [] }, services: [], pods: [POD] } as unknown as LocalPlan;

describe("the mesh config's defaultConfig.proxyMetadata as every proxy's environment", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-proxy-metadata-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (text: string): void => writeFileSync(path.join(dir, 'mesh.yaml'), text);

  it('gives SECRET_TTL (and the rest) to sidecars and gateways; none without mesh.yaml', () => {
    expect(readProxyMetadata(path.join(dir, 'absent'))).toEqual({});
    write('accessLogFile: /dev/stdout\ndefaultConfig:\n  proxyMetadata:\n    SECRET_TTL: 10s\n    SECRET_GRACE_PERIOD_RATIO: "0.5"\n');
    const proxyMetadata = readProxyMetadata(dir);
    expect(proxyMetadata).toEqual({ SECRET_TTL: '10s', SECRET_GRACE_PERIOD_RATIO: '0.5' });
    const ctx = { distDir: '/dist', stateDir: dir, logLevel: 'warn', accessLog: false, proxyMetadata };
    expect(sidecarSpec(POD, PLAN, ctx).env).toMatchObject({ SECRET_TTL: '10s', LOG_LEVEL: 'warn' });
    expect(gatewaySpec(PLAN, ctx).env).toMatchObject({ SECRET_TTL: '10s' });
  });

  it("makes defaultConfig (terminationDrainDuration, …) every proxy's PROXY_CONFIG, under a pod's proxy.istio.io/config", () => {
    write('defaultConfig:\n  terminationDrainDuration: 7s\n  proxyMetadata: {SECRET_TTL: 1h}\n');
    const ctx = { distDir: '/dist', stateDir: dir, logLevel: 'warn', accessLog: false, ...readMeshProxyDefaults(dir) };
    expect(JSON.parse(gatewaySpec(PLAN, ctx).env!['PROXY_CONFIG']!)).toEqual({ terminationDrainDuration: '7s', proxyMetadata: { SECRET_TTL: '1h' } });
    const annotated = { ...POD, proxyEnv: { PROXY_CONFIG: '{"terminationDrainDuration":"0s"}' } } as PodPlan;
    expect(JSON.parse(sidecarSpec(annotated, PLAN, ctx).env!['PROXY_CONFIG']!)).toEqual({ terminationDrainDuration: '0s', proxyMetadata: { SECRET_TTL: '1h' } });
    write('accessLogFile: /dev/stdout\n');
    expect(sidecarSpec(POD, PLAN, { ...ctx, ...readMeshProxyDefaults(dir) }).env!['PROXY_CONFIG']).toBeUndefined();
    write('defaultConfig: [a]\n');
    expect(() => readMeshProxyDefaults(dir)).toThrow(/defaultConfig must be a map/);
  });

  it('names the field of a value that is not a string', () => {
    write('defaultConfig:\n  proxyMetadata:\n    SECRET_TTL: 10\n');
    expect(() => readProxyMetadata(dir)).toThrow(expect.objectContaining({ code: 'MESH_CONFIG_INVALID', message: expect.stringContaining('defaultConfig.proxyMetadata.SECRET_TTL must be a string') }));
    write('defaultConfig: {proxyMetadata: [a]}\n');
    expect(() => readProxyMetadata(dir)).toThrow(/defaultConfig.proxyMetadata must be a map of strings/);
  });
});
