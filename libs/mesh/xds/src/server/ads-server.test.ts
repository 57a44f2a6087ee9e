import * as grpc from '@grpc/grpc-js';
import { silentLogger } from '@trellis/shared';
import { Registry } from 'prom-client';
import { unpackResource } from '../proto/codec';
import type { DiscoveryResponse } from '../proto/discovery';
import { TYPE_URLS, typeShortOf, type XdsTypeShort } from '../proto/type-urls';
import type { XdsResource, XdsResources } from '../resources';
import { assignment, basicResources, edsCluster, rdsListener, routeConfig, SIDECAR_NODE } from '../testing/fixtures';
import { RawAdsStream } from '../testing/raw-ads-stream';
import { createAdsServer, type AdsServer } from './ads-server';

function names(res: DiscoveryResponse): string[] {
  return res.resources.map((a) => {
    const r = unpackResource(a);
    return String(r['name'] ?? r['cluster_name']);
  });
}

describe('ADS server (SotW protocol)', () => {
  let server: AdsServer;
  let port: number;
  let current: XdsResources;
  let registry: Registry;
  const streams: RawAdsStream[] = [];

  const open = (): RawAdsStream => {
    const s = new RawAdsStream(port);
    streams.push(s);
    return s;
  };

  /** First request of a type (with node when `first`) and the immediate answer. */
  const subscribe = async (s: RawAdsStream, type: XdsTypeShort, resourceNames: string[] = [], first = false): Promise<DiscoveryResponse> => {
    s.send({ type_url: TYPE_URLS[type], resource_names: resourceNames, ...(first ? { node: SIDECAR_NODE } : {}) });
    const res = await s.next();
    expect(res.type_url).toBe(TYPE_URLS[type]);
    return res;
  };

  const ack = (s: RawAdsStream, res: DiscoveryResponse, resourceNames: string[] = []): void => {
    s.send({ type_url: res.type_url, version_info: res.version_info, response_nonce: res.nonce, resource_names: resourceNames });
  };

  beforeEach(async () => {
    current = basicResources();
    registry = new Registry();
    server = createAdsServer({ generate: () => current, logger: silentLogger(), debounce: { quietMs: 50, maxMs: 500 }, registry });
    port = await server.bind('127.0.0.1:0');
  });

  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await server.close();
  });

  it('answers a wildcard CDS request, then stays silent on the ACK', async () => {
    const s = open();
    const cds = await subscribe(s, 'CDS', [], true);
    expect(names(cds)).toEqual(['c1']);
    expect(cds.version_info).toMatch(/^[0-9a-f]{16}$/);
    expect(cds.nonce).not.toBe('');
    ack(s, cds);
    await s.expectNothing();
    const [status] = server.syncStatus();
    expect(status!.proxy.workloadName).toBe('reviews-v1-abc-def');
    expect(status!.types.CDS).toMatchObject({ sentVersion: cds.version_info, ackedVersion: cds.version_info, status: 'SYNCED' });
    expect(status!.types.LDS.status).toBe('NOT SENT');
  });

  it('records a NACK, keeps the last good version and does not resend the rejected content', async () => {
    const s = open();
    const v1 = await subscribe(s, 'CDS', [], true);
    ack(s, v1);
    await s.expectNothing(100); // let the ACK land before the push (else it is stale, rightly ignored)
    current = { ...current, clusters: [edsCluster('c1'), edsCluster('c2')] };
    server.pushNow('change');
    const v2 = await s.next();
    expect(names(v2)).toEqual(['c1', 'c2']);
    expect(v2.nonce).not.toBe(v1.nonce);
    s.send({ type_url: TYPE_URLS.CDS, version_info: v1.version_info, response_nonce: v2.nonce, error_detail: { code: 3, message: 'bad cluster c2' } });
    await s.expectNothing();
    const cds = server.syncStatus()[0]!.types.CDS;
    expect(cds).toMatchObject({ ackedVersion: v1.version_info, status: 'STALE' });
    expect(cds.lastNack).toMatchObject({ version: v2.version_info, nonce: v2.nonce, message: 'bad cluster c2' });
    server.pushNow('same content');
    await s.expectNothing();
    current = { ...current, clusters: [edsCluster('c1'), edsCluster('c3')] };
    server.pushNow('fixed');
    expect(names(await s.next())).toEqual(['c1', 'c3']);
    expect((await registry.getSingleMetric('pilot_total_xds_rejects')!.get()).values[0]).toMatchObject({ value: 1, labels: { type: 'cds' } });
  });

  it('ignores a request carrying a stale nonce', async () => {
    const s = open();
    const v1 = await subscribe(s, 'EDS', ['c1'], true);
    current = { ...current, endpoints: [assignment('c1', ['10.0.0.2', 9080])] };
    server.pushNow();
    const v2 = await s.next();
    s.send({ type_url: TYPE_URLS.EDS, version_info: v1.version_info, response_nonce: v1.nonce, resource_names: ['c1', 'c9'] });
    await s.expectNothing();
    expect(server.syncStatus()[0]!.types.EDS.ackedVersion).toBeUndefined();
    ack(s, v2, ['c1']);
    await s.expectNothing();
    expect(server.syncStatus()[0]!.types.EDS.status).toBe('SYNCED');
  });

  it('remembers a requested-but-missing RDS name and sends it when it appears', async () => {
    const s = open();
    const first = await subscribe(s, 'RDS', ['r1', 'r2'], true);
    expect(names(first)).toEqual(['r1']);
    ack(s, first, ['r1', 'r2']);
    await s.expectNothing(150);
    current = { ...current, routes: [routeConfig('r1', 'c1'), routeConfig('r2', 'c1')] };
    server.pushNow();
    expect(names(await s.next())).toEqual(['r1', 'r2']);
  });

  it('answers a newly added RDS/EDS name immediately (even if content is unchanged)', async () => {
    current = { ...current, endpoints: [assignment('c1', ['10.0.0.1', 80]), assignment('c2', ['10.0.0.2', 80])] };
    const s = open();
    const first = await subscribe(s, 'EDS', ['c1'], true);
    ack(s, first, ['c1', 'c2']);
    expect(names(await s.next())).toEqual(['c1', 'c2']);
  });

  it('pushes only the changed types, in CDS → EDS → LDS → RDS order', async () => {
    const s = open();
    const responses = [await subscribe(s, 'CDS', [], true), await subscribe(s, 'EDS', ['c1']), await subscribe(s, 'LDS'), await subscribe(s, 'RDS', ['r1'])];
    responses.forEach((r) => ack(s, r, typeShortOf(r.type_url) === 'EDS' ? ['c1'] : typeShortOf(r.type_url) === 'RDS' ? ['r1'] : []));
    await s.expectNothing(150);

    current = { ...current, endpoints: [assignment('c1', ['10.0.0.9', 9080])] };
    server.pushNow();
    const eds = await s.next();
    expect(eds.type_url).toBe(TYPE_URLS.EDS);
    await s.expectNothing(150);

    current = {
      clusters: [edsCluster('c1'), edsCluster('c2')],
      endpoints: [assignment('c1', ['10.0.0.10', 9080])],
      listeners: [rdsListener('l1', 9080, 'r1'), rdsListener('l2', 9081, 'r1')],
      routes: [routeConfig('r1', 'c2')],
    };
    server.push('debounced');
    server.push('debounced again');
    const order = [await s.next(), await s.next(), await s.next(), await s.next()].map((r) => typeShortOf(r.type_url));
    expect(order).toEqual(['CDS', 'EDS', 'LDS', 'RDS']);
    await s.expectNothing(150);
    expect((await registry.getSingleMetric('pilot_xds')!.get()).values[0]!.value).toBe(1);
  });

  it('gives proxies with equal resources one nonce per push round, and every round (per stream) a new one', async () => {
    const [a, b] = [open(), open()];
    for (const s of [a, b]) ack(s, await subscribe(s, 'CDS', [], true));
    current = { ...current, clusters: [edsCluster('c1'), edsCluster('c9')] };
    server.pushNow();
    const [ra, rb] = [await a.next(), await b.next()];
    expect(ra.nonce).toBe(rb.nonce);
    expect(ra.version_info).toBe(rb.version_info);
    ack(a, ra);
    current = { ...current, clusters: [edsCluster('c1')] };
    server.pushNow();
    expect((await a.next()).nonce).not.toBe(ra.nonce);
  });

  it('filters LDS/CDS to explicit names (proxyless gRPC style)', async () => {
    current = { ...current, listeners: [rdsListener('l1', 1, 'r1'), rdsListener('hello:50051', 2, 'r1')] };
    const s = open();
    const lds = await subscribe(s, 'LDS', ['hello:50051'], true);
    expect(names(lds)).toEqual(['hello:50051']);
    ack(s, lds, ['hello:50051']);
    await s.expectNothing(150);
  });

  it('fails only the offending stream on a malformed request', async () => {
    const good = open();
    ack(good, await subscribe(good, 'CDS', [], true));
    const noNode = open();
    noNode.send({ type_url: TYPE_URLS.CDS });
    expect((await noNode.ended).code).toBe(grpc.status.INVALID_ARGUMENT);
    const noType = open();
    noType.send({ node: SIDECAR_NODE });
    expect((await noType.ended).code).toBe(grpc.status.INVALID_ARGUMENT);

    current = { ...current, clusters: [edsCluster('c5')] };
    server.pushNow();
    expect(names(await good.next())).toEqual(['c5']);
    expect(server.syncStatus()).toHaveLength(1);
  });

  it('ignores requests for unsupported types without closing the stream', async () => {
    const s = open();
    s.send({ node: SIDECAR_NODE, type_url: 'type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig', resource_names: ['ecds'] });
    await s.expectNothing(150);
    expect(names(await subscribe(s, 'CDS'))).toEqual(['c1']);
  });

  it('keeps serving the previous resources when generation yields an unencodable resource', async () => {
    const s = open();
    ack(s, await subscribe(s, 'CDS', [], true));
    const broken: XdsResource = { name: 'broken', lbPolicy: 'ROUND_ROBIN' }; // not a Cluster's field names
    current = { ...current, clusters: [broken] };
    server.pushNow();
    await s.expectNothing(150);
    expect(server.configDump(SIDECAR_NODE.id)?.clusters.map((c) => c['name'])).toEqual(['c1']);
  });

  it('exposes the last sent resources as a config dump', async () => {
    const s = open();
    ack(s, await subscribe(s, 'CDS', [], true));
    ack(s, await subscribe(s, 'LDS'));
    const dump = server.configDump(SIDECAR_NODE.id);
    expect(dump?.clusters).toEqual(current.clusters);
    expect(dump?.listeners).toEqual(current.listeners);
    expect(dump?.routes).toEqual([]);
    expect(server.configDump('nope')).toBeUndefined();
  });
});
