import { silentLogger } from '@trellis/shared';
import { Registry } from 'prom-client';
import { unpackResource } from '../proto/codec';
import type { DeltaDiscoveryResponse } from '../proto/delta-types';
import { TYPE_URLS } from '../proto/type-urls';
import type { XdsResource, XdsResources } from '../resources';
import { basicResources, SIDECAR_NODE } from '../testing/fixtures';
import { RawDeltaStream } from '../testing/raw-ads-stream';
import { VHDS_CLIENT_FEATURE, VHDS_TYPE_URL } from '../vhds/vhds';
import { createAdsServer, type AdsServer } from './ads-server';

const VHDS_NODE = { ...SIDECAR_NODE, client_features: [VHDS_CLIENT_FEATURE] };
const names = (res: DeltaDiscoveryResponse): string[] => res.resources.map((r) => r.name);
const versions = (res: DeltaDiscoveryResponse): Record<string, string> => Object.fromEntries(res.resources.map((r) => [r.name, r.version]));

const vhost = (name: string, cluster = 'c1'): XdsResource => ({ name, domains: [name], routes: [{ match: { prefix: '/' }, route: { cluster } }] });
/** Route config `r1` with one virtual host per entry: name → cluster. */
const routes = (hosts: Record<string, string>): XdsResources => ({
  ...basicResources(),
  routes: [{ name: 'r1', validate_clusters: { value: false }, virtual_hosts: Object.entries(hosts).map(([n, c]) => vhost(n, c)) }],
});

describe('ADS server: VHDS over delta', () => {
  let server: AdsServer;
  let port: number;
  let current: XdsResources;
  const streams: RawDeltaStream[] = [];

  beforeEach(async () => {
    current = routes({ a: 'c1', b: 'c1', c: 'c1' });
    server = createAdsServer({ generate: () => current, logger: silentLogger(), debounce: { quietMs: 20, maxMs: 200 }, registry: new Registry() });
    port = await server.bind('127.0.0.1:0');
  });

  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await server.close();
  });

  const ack = (s: RawDeltaStream, res: DeltaDiscoveryResponse): void => s.send({ type_url: res.type_url, response_nonce: res.nonce });

  /** RDS `r1` subscribed and ACKed; returns the stream and the RDS response. */
  const connect = async (node: typeof SIDECAR_NODE = VHDS_NODE): Promise<{ s: RawDeltaStream; rds: DeltaDiscoveryResponse }> => {
    const s = new RawDeltaStream(port);
    streams.push(s);
    s.send({ node, type_url: TYPE_URLS.RDS, resource_names_subscribe: ['r1'] });
    const rds = await s.next();
    ack(s, rds);
    return { s, rds };
  };

  /** VirtualHost subscribed by route config name; returns the ACKed answer. */
  const subscribe = async (s: RawDeltaStream, extra: Record<string, unknown> = {}): Promise<DeltaDiscoveryResponse> => {
    s.send({ type_url: VHDS_TYPE_URL, resource_names_subscribe: ['r1'], ...extra });
    const res = await s.next();
    ack(s, res);
    return res;
  };

  it('sends a shell (vhds over ADS, no virtual hosts) and the virtual hosts by route config name', async () => {
    const { s, rds } = await connect();
    expect(names(rds)).toEqual(['r1']);
    const shell = unpackResource(rds.resources[0]!.resource);
    expect(shell['virtual_hosts'] ?? []).toEqual([]);
    expect(shell['vhds']).toEqual({ config_source: { ads: {}, resource_api_version: 'V3' } });
    expect(shell['validate_clusters']).toEqual({ value: false });
    const vh = await subscribe(s);
    expect(vh.type_url).toBe(VHDS_TYPE_URL);
    expect(names(vh).sort()).toEqual(['r1/a', 'r1/b', 'r1/c']);
    expect(vh.removed_resources).toEqual([]);
    expect(unpackResource(vh.resources.find((r) => r.name === 'r1/b')!.resource)).toMatchObject({ name: 'b', domains: ['b'] });
    await s.expectNothing();
    expect(server.syncStatus()[0]!.types).toMatchObject({ RDS: { status: 'SYNCED' }, VHDS: { status: 'SYNCED' } });
  });

  it('re-sends only the changed virtual host, removals as removed_resources, and no RDS when the shell is unchanged', async () => {
    const { s } = await connect();
    const first = await subscribe(s);
    current = routes({ a: 'c1', b: 'c2', c: 'c1' });
    server.pushNow();
    const changed = await s.next();
    expect([changed.type_url, names(changed), changed.removed_resources]).toEqual([VHDS_TYPE_URL, ['r1/b'], []]);
    expect(versions(changed)['r1/b']).not.toBe(versions(first)['r1/b']);
    // Before the ACK the route tables are not known to run: RDS reads STALE, not SYNCED.
    expect(server.syncStatus()[0]!.types.RDS.status).toBe('STALE');
    ack(s, changed);
    current = routes({ a: 'c1', b: 'c2' });
    server.pushNow();
    const removed = await s.next();
    expect([removed.type_url, names(removed), removed.removed_resources]).toEqual([VHDS_TYPE_URL, [], ['r1/c']]);
    ack(s, removed);
    await s.expectNothing();
    // The control plane's config dump shows the route configuration whole (materialized).
    expect(server.configDump(SIDECAR_NODE.id)!.routes[0]).toMatchObject({ name: 'r1', virtual_hosts: [{ name: 'a' }, { name: 'b' }] });
  });

  it('on reconnect sends only the virtual hosts that differ from initial_resource_versions', async () => {
    const { s } = await connect();
    const first = await subscribe(s);
    s.close();
    current = routes({ a: 'c1', b: 'c2', c: 'c1' });
    const again = await connect();
    const held = { ...versions(first) };
    const res = await subscribe(again.s, { initial_resource_versions: held });
    expect([names(res), res.removed_resources]).toEqual([['r1/b'], []]);
  });

  it('a NACKed virtual host response keeps the others; the rejected host is offered again on the next push', async () => {
    const { s } = await connect();
    const first = await subscribe(s);
    current = routes({ a: 'c1', b: 'bad', c: 'c1' });
    server.pushNow();
    const bad = await s.next();
    expect(names(bad)).toEqual(['r1/b']);
    s.send({ type_url: VHDS_TYPE_URL, response_nonce: bad.nonce, error_detail: { code: 3, message: 'cluster bad unknown' } });
    await s.expectNothing(100);
    const status = server.syncStatus()[0]!.types;
    expect(status.VHDS?.lastNack?.message).toBe('cluster bad unknown');
    expect(status.RDS.status).toBe('STALE');
    // The RDS row stands for the route tables: the NACK shows there, the ACKed version stays the last good one.
    expect(status.RDS.lastNack?.message).toBe('cluster bad unknown');
    expect(status.RDS.ackedVersion).toBe(first.system_version_info);
    expect(status.RDS.sentVersion).toBe(bad.system_version_info);
    // a and c stay ACKed; b is held at a version the server no longer has, so its dump (as for any
    // type after a NACK) lists only what it can show: the proxy's own config_dump has the whole table.
    expect(server.configDump(SIDECAR_NODE.id)!.routes[0]!.virtual_hosts!.map((v) => v.name)).toEqual(['a', 'c']);
    current = routes({ a: 'c3', b: 'c2', c: 'c1' });
    server.pushNow();
    const next = await s.next();
    expect(names(next).sort()).toEqual(['r1/a', 'r1/b']);
    expect(versions(next)['r1/b']).not.toBe(versions(first)['r1/b']);
  });

  it('answers a subscription to a route config without virtual hosts (or unknown) as removed', async () => {
    current = { ...basicResources(), routes: [{ name: 'r1' }] };
    const { s } = await connect();
    const res = await subscribe(s);
    expect([names(res), res.removed_resources]).toEqual([[], ['r1']]);
  });

  it('a delta client without the feature gets the whole RouteConfiguration, as before', async () => {
    const { s, rds } = await connect(SIDECAR_NODE);
    const rc = unpackResource(rds.resources[0]!.resource);
    expect(rc['vhds']).toBeUndefined();
    expect((rc['virtual_hosts'] as XdsResource[]).map((v) => v['name'])).toEqual(['a', 'b', 'c']);
    s.send({ type_url: VHDS_TYPE_URL, resource_names_subscribe: ['r1'] });
    await s.expectNothing();
  });
});
