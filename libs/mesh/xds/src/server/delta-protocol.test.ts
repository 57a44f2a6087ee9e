import { silentLogger } from '@trellis/shared';
import { Registry } from 'prom-client';
import { unpackResource } from '../proto/codec';
import type { DeltaDiscoveryResponse } from '../proto/delta-types';
import { TYPE_URLS, type XdsTypeShort } from '../proto/type-urls';
import type { XdsResources } from '../resources';
import { assignment, basicResources, edsCluster, SIDECAR_NODE } from '../testing/fixtures';
import { RawDeltaStream } from '../testing/raw-ads-stream';
import { until } from '../testing/until';
import { createAdsServer, type AdsServer } from './ads-server';

const names = (res: DeltaDiscoveryResponse): string[] => res.resources.map((r) => r.name);
const versions = (res: DeltaDiscoveryResponse): Record<string, string> => Object.fromEntries(res.resources.map((r) => [r.name, r.version]));

describe('ADS server (delta protocol)', () => {
  let server: AdsServer;
  let port: number;
  let current: XdsResources;
  let registry: Registry;
  const streams: RawDeltaStream[] = [];

  const start = async (limits?: { maxUnknownNames?: number; maxPending?: number }): Promise<void> => {
    registry = new Registry();
    server = createAdsServer({ generate: () => current, logger: silentLogger(), debounce: { quietMs: 20, maxMs: 200 }, registry, ...(limits && { deltaLimits: limits }) });
    port = await server.bind('127.0.0.1:0');
  };

  const open = (): RawDeltaStream => {
    const s = new RawDeltaStream(port);
    streams.push(s);
    return s;
  };

  const ack = (s: RawDeltaStream, res: DeltaDiscoveryResponse): void => s.send({ type_url: res.type_url, response_nonce: res.nonce });
  const metric = async (name: string, type: string): Promise<number> =>
    (await registry.getSingleMetric(name)!.get()).values.find((v) => (v.labels['type'] ?? '') === type)?.value ?? 0;

  /** Connects with EDS subscribed to `eds` (after a wildcard CDS, ACKed). */
  const connectEds = async (eds: string[]): Promise<RawDeltaStream> => {
    const s = open();
    s.send({ node: SIDECAR_NODE, type_url: TYPE_URLS.CDS });
    ack(s, await s.next());
    s.send({ type_url: TYPE_URLS.EDS, resource_names_subscribe: eds });
    return s;
  };

  const twoClusters = (port1 = 1, port2 = 2): XdsResources => ({
    ...basicResources(),
    clusters: [edsCluster('c1'), edsCluster('c2')],
    endpoints: [assignment('c1', ['10.0.0.1', port1]), assignment('c2', ['10.0.0.2', port2])],
  });

  beforeEach(async () => {
    current = basicResources();
    await start();
  });

  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await server.close();
  });

  it('treats an empty first CDS/LDS request as wildcard, answers with per-resource versions, and stays silent on the ACK', async () => {
    const s = open();
    s.send({ node: SIDECAR_NODE, type_url: TYPE_URLS.CDS });
    const cds = await s.next();
    expect(names(cds)).toEqual(['c1']);
    expect(cds.resources[0]!.version).toMatch(/^[0-9a-f]{16}$/);
    expect(unpackResource(cds.resources[0]!.resource)['name']).toBe('c1');
    expect(cds.removed_resources).toEqual([]);
    ack(s, cds);
    await s.expectNothing();
    const status = server.syncStatus()[0]!;
    expect(status.protocol).toBe('delta');
    expect(status.types.CDS).toMatchObject({ status: 'SYNCED', sentVersion: cds.system_version_info, ackedVersion: cds.system_version_info });
    // An empty first request of a non-wildcard type subscribes to nothing.
    s.send({ type_url: TYPE_URLS.EDS });
    await s.expectNothing();
  });

  it('answers every subscribed name, present or not (removed_resources = "does not exist"), and sends a name once it appears', async () => {
    const s = await connectEds(['c1', 'nope']);
    const eds = await s.next();
    expect(names(eds)).toEqual(['c1']);
    expect(eds.removed_resources).toEqual(['nope']);
    ack(s, eds);
    s.send({ type_url: TYPE_URLS.EDS, resource_names_subscribe: ['c1'] }); // re-request: answered although held
    const again = await s.next();
    expect(names(again)).toEqual(['c1']);
    ack(s, again);
    current = { ...current, endpoints: [...(current.endpoints ?? []), assignment('nope', ['10.0.0.9', 9])] };
    server.pushNow();
    const appeared = await s.next();
    expect([names(appeared), appeared.removed_resources]).toEqual([['nope'], []]);
  });

  it('sends only what changed, and removals as removed_resources', async () => {
    current = twoClusters();
    const s = await connectEds(['c1', 'c2']);
    const first = await s.next();
    ack(s, first);
    current = twoClusters(1, 22);
    server.pushNow();
    const changed = await s.next();
    expect([changed.type_url, names(changed), changed.removed_resources]).toEqual([TYPE_URLS.EDS, ['c2'], []]);
    expect(versions(changed)['c2']).not.toBe(versions(first)['c2']);
    ack(s, changed);
    current = { ...current, clusters: [edsCluster('c2')] };
    server.pushNow();
    const cds = await s.next();
    expect([cds.type_url, names(cds), cds.removed_resources]).toEqual([TYPE_URLS.CDS, [], ['c1']]);
    ack(s, cds);
    await s.expectNothing();
  });

  it('forgets unsubscribed names: no response to the unsubscription, no later pushes for them', async () => {
    current = twoClusters();
    const s = await connectEds(['c1', 'c2']);
    ack(s, await s.next());
    s.send({ type_url: TYPE_URLS.EDS, resource_names_unsubscribe: ['c2'] });
    await s.expectNothing();
    current = twoClusters(1, 22);
    server.pushNow();
    await s.expectNothing();
    current = twoClusters(11, 22);
    server.pushNow();
    expect(names(await s.next())).toEqual(['c1']);
  });

  it('honours subscriptions carried by a request with a stale nonce, counting the nonce as expired', async () => {
    current = twoClusters();
    const s = await connectEds(['c1']);
    ack(s, await s.next());
    s.send({ type_url: TYPE_URLS.EDS, response_nonce: 'no-such-nonce', resource_names_subscribe: ['c2'] });
    expect(names(await s.next())).toEqual(['c2']);
    expect(await metric('pilot_xds_expired_nonce', 'eds')).toBe(1);
  });

  it('on reconnect sends only what differs from initial_resource_versions', async () => {
    current = twoClusters();
    const s1 = open();
    s1.send({ node: SIDECAR_NODE, type_url: TYPE_URLS.CDS, resource_names_subscribe: ['*'] });
    const held = versions(await s1.next());
    s1.close();
    current = { ...current, clusters: [edsCluster('c1'), { ...edsCluster('c2'), connect_timeout: '5s' }] };
    const s2 = open();
    s2.send({ node: SIDECAR_NODE, type_url: TYPE_URLS.CDS, resource_names_subscribe: ['*'], initial_resource_versions: { ...held, gone: '0123456789abcdef' } });
    const res = await s2.next();
    expect([names(res), res.removed_resources]).toEqual([['c2'], ['gone']]);
  });

  it('NACK of one response keeps the others: only the rejected resource is offered again', async () => {
    current = twoClusters();
    const s = await connectEds(['c1', 'c2']);
    ack(s, await s.next());
    current = twoClusters(11, 2);
    server.pushNow();
    const a = await s.next();
    current = twoClusters(11, 22);
    server.pushNow();
    const b = await s.next();
    expect([names(a), names(b)]).toEqual([['c1'], ['c2']]);
    s.send({ type_url: TYPE_URLS.EDS, response_nonce: a.nonce, error_detail: { code: 3, message: 'c1 is bad' } });
    ack(s, b);
    await until(() => server.syncStatus()[0]!.types.EDS.status === 'SYNCED');
    const eds = server.syncStatus()[0]!.types.EDS;
    expect(eds.lastNack).toMatchObject({ nonce: a.nonce, message: 'c1 is bad', version: a.system_version_info });
    expect(eds.ackedVersion).toBe(b.system_version_info);
    expect(await metric('pilot_total_xds_rejects', 'eds')).toBe(1);
    server.pushNow(); // nothing changed in config: the client still holds the old c1, never the c2 it accepted
    const retry = await s.next();
    expect([names(retry), retry.removed_resources]).toEqual([['c1'], []]);
    expect(versions(retry)['c1']).toBe(versions(a)['c1']);
  });

  it('after a NACK, a config back at what the proxy kept is confirmed by an empty response: SYNCED again', async () => {
    current = twoClusters();
    const s = await connectEds(['c1', 'c2']);
    const first = await s.next();
    ack(s, first);
    current = twoClusters(11, 2);
    server.pushNow();
    const bad = await s.next();
    s.send({ type_url: TYPE_URLS.EDS, response_nonce: bad.nonce, error_detail: { code: 3, message: 'no' } });
    await until(() => server.syncStatus()[0]!.types.EDS.lastNack !== undefined);
    current = twoClusters();
    server.pushNow();
    const confirm = await s.next();
    expect([names(confirm), confirm.removed_resources, confirm.system_version_info]).toEqual([[], [], first.system_version_info]);
    ack(s, confirm);
    await until(() => server.syncStatus()[0]!.types.EDS.status === 'SYNCED');
  });

  it('bounds what a flooding or never-ACKing client makes it keep, counting what it drops; other streams unaffected', async () => {
    await server.close();
    await start({ maxUnknownNames: 3, maxPending: 2 });
    const flood = Array.from({ length: 50 }, (_, i) => `unknown-${i}`);
    const bad = await connectEds(['c1', ...flood]);
    const res = await bad.next();
    expect(names(res)).toEqual(['c1']);
    expect(res.removed_resources).toHaveLength(50);
    expect(await metric('pilot_xds_subscriptions_dropped', 'eds')).toBe(47);
    for (let port = 1; port <= 5; port++) {
      current = { ...current, endpoints: [assignment('c1', ['10.0.0.1', port])] };
      server.pushNow();
      await bad.next(); // read, never ACKed
    }
    expect(await metric('pilot_xds_unacked_dropped', 'eds')).toBe(4); // 6 sent, 2 kept
    bad.send({ type_url: TYPE_URLS.EDS, response_nonce: res.nonce }); // forgotten: expired
    await until(() => server.syncStatus()[0]!.types.EDS.status === 'STALE');
    const good = await connectEds(['c1']);
    const answer = await good.next();
    expect(names(answer)).toEqual(['c1']);
    ack(good, answer);
    await until(() => server.syncStatus().map((p) => p.types.EDS.status).sort().join() === 'STALE,SYNCED');
    expect(await metric('pilot_xds_expired_nonce', 'eds')).toBe(1);
  });

  it('holds pushes for a client that stops reading (bounded buffer), then sends it the latest state', async () => {
    const sized = (i: number): XdsResources => ({ ...basicResources(), clusters: [{ ...edsCluster('c1'), alt_stat_name: `${i}-`.padEnd(400_000, 'x') }] });
    current = sized(0);
    const s = open();
    s.send({ node: SIDECAR_NODE, type_url: TYPE_URLS.CDS });
    ack(s, await s.next());
    s.pause();
    for (let i = 1; i <= 60; i++) {
      current = sized(i);
      server.pushNow();
      await new Promise((r) => setImmediate(r));
    }
    expect(await metric('pilot_xds_push_deferred', '')).toBeGreaterThan(0);
    s.resume();
    const seen: string[] = [];
    while (!seen.includes('60')) seen.push(String(unpackResource((await s.next(10_000)).resources[0]!.resource)['alt_stat_name']).split('-')[0]!);
    expect(seen.length).toBeLessThan(60); // pushes while it was not reading were held back, not queued
  }, 30_000);

  it.each<XdsTypeShort>(['RDS', 'SDS'])('serves %s by name only, and `*` as an explicit wildcard', async (type) => {
    current = { ...basicResources(), secrets: [{ name: 's1', validation_context: { trusted_ca: { inline_bytes: Buffer.from('CA').toString('base64') } } }] };
    const s = open();
    s.send({ node: SIDECAR_NODE, type_url: TYPE_URLS[type] });
    await s.expectNothing();
    s.send({ type_url: TYPE_URLS[type], resource_names_subscribe: ['*'] });
    expect(names(await s.next())).toEqual([type === 'RDS' ? 'r1' : 's1']);
  });
});
