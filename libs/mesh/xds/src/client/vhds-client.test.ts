import { silentLogger } from '@trellis/shared';
import type { XdsTypeShort } from '../proto/type-urls';
import type { XdsResource, XdsResources } from '../resources';
import { createAdsServer, type AdsServer } from '../server/ads-server';
import { basicResources, rdsListener, SIDECAR_NODE } from '../testing/fixtures';
import { until } from '../testing/until';
import { createAdsClient, type AdsClient } from './ads-client';

const vhost = (name: string, cluster: string): XdsResource => ({ name, domains: [name], routes: [{ match: { prefix: '/' }, route: { cluster } }] });
const withHosts = (hosts: Record<string, string>): XdsResources => ({
  ...basicResources(),
  routes: [{ name: 'r1', virtual_hosts: Object.entries(hosts).map(([n, c]) => vhost(n, c)) }],
});
/** What a delivered route config routes to, by virtual host (sorted: VHDS order). */
const table = (rcs: readonly XdsResource[]): Record<string, unknown> =>
  Object.fromEntries(((rcs[0]?.['virtual_hosts'] ?? []) as XdsResource[]).map((v) => [v['name'], (v['routes'] as XdsResource[])[0]!['route']]));

describe('ADS client: VHDS', () => {
  let server: AdsServer;
  let client: AdsClient | undefined;
  let current: XdsResources;
  let rds: XdsResource[][];
  let reject: ((rcs: readonly XdsResource[]) => string | undefined) | undefined;

  beforeEach(async () => {
    current = withHosts({ c: 'c1', a: 'c1', b: 'c1' });
    rds = [];
    reject = undefined;
    server = createAdsServer({ generate: () => current, logger: silentLogger(), debounce: { quietMs: 10, maxMs: 50 } });
    const port = await server.bind('127.0.0.1:0');
    client = createAdsClient({
      target: `127.0.0.1:${port}`,
      node: SIDECAR_NODE,
      logger: silentLogger(),
      backoff: { initialMs: 20, maxMs: 100 },
      onResources: (type: XdsTypeShort, resources) => {
        if (type !== 'RDS') return;
        const why = reject?.(resources);
        if (why !== undefined) throw new Error(why);
        rds.push(resources);
      },
    });
  });

  afterEach(async () => {
    client?.close();
    await server.close();
  });

  const synced = (): boolean => {
    const s = server.syncStatus()[0];
    return s?.types.VHDS?.status === 'SYNCED' && Object.values(s.types).every((t) => t.status === 'SYNCED');
  };

  it('announces VHDS, and hands the proxy a route config only once its virtual hosts arrived (sorted by name)', async () => {
    await until(synced);
    expect(server.syncStatus()[0]!.types.VHDS).toBeDefined();
    expect(rds.length).toBeGreaterThan(0);
    for (const delivered of rds) expect(Object.keys(table(delivered))).toEqual(['a', 'b', 'c']);
    expect(rds.at(-1)![0]).not.toHaveProperty('vhds');
    // One route version for shells + hosts, read the same by the proxy and proxy-status.
    expect(client!.ackedVersions().RDS).toBe(server.syncStatus()[0]!.types.RDS.ackedVersion);
  });

  it('a virtual host the proxy rejects NACKs that response and keeps the last good table; a fix is applied', async () => {
    await until(synced);
    reject = (rcs) => (Object.values(table(rcs)).some((r) => (r as { cluster?: string }).cluster === 'bad') ? 'unknown cluster bad' : undefined);
    const before = rds.length;
    current = withHosts({ c: 'c1', a: 'c1', b: 'bad' });
    server.pushNow();
    await until(() => server.syncStatus()[0]!.types.VHDS?.lastNack !== undefined);
    expect(server.syncStatus()[0]!.types.VHDS?.lastNack?.message).toBe('unknown cluster bad');
    expect(server.syncStatus()[0]!.types.RDS.status).toBe('STALE');
    expect(rds.length).toBe(before);
    current = withHosts({ c: 'c2', a: 'c1', b: 'c1' });
    server.pushNow();
    await until(() => rds.length > before && synced());
    const status = server.syncStatus()[0]!.types.RDS;
    expect([client!.ackedVersions().RDS, status.sentVersion]).toEqual([status.ackedVersion, status.ackedVersion]);
    expect(table(rds.at(-1)!)).toMatchObject({ a: { cluster: 'c1' }, b: { cluster: 'c1' }, c: { cluster: 'c2' } });
  });

  it('a new route config waits for its virtual hosts; a removed one is unsubscribed', async () => {
    await until(synced);
    current = { ...current, listeners: [...current.listeners, rdsListener('l2', 9081, 'r2')], routes: [...current.routes, { name: 'r2', virtual_hosts: [vhost('z', 'c1')] }] };
    server.pushNow();
    await until(() => rds.some((d) => d.length === 2) && synced());
    for (const delivered of rds) for (const rc of delivered) expect(((rc['virtual_hosts'] ?? []) as unknown[]).length).toBeGreaterThan(0);
    current = withHosts({ c: 'c1', a: 'c1', b: 'c1' });
    server.pushNow();
    await until(() => rds.at(-1)!.length === 1 && synced());
    expect(server.configDump(SIDECAR_NODE.id)!.routes.map((r) => r.name)).toEqual(['r1']);
  });
});
