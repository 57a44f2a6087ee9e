import { silentLogger } from '@trellis/shared';
import { Registry } from 'prom-client';
import type { DeltaDiscoveryResponse } from '../proto/delta-types';
import type { DiscoveryResponse } from '../proto/discovery';
import { TYPE_URLS } from '../proto/type-urls';
import type { XdsResources } from '../resources';
import { assignment, basicResources, edsCluster, SIDECAR_NODE } from '../testing/fixtures';
import { RawAdsStream, RawDeltaStream } from '../testing/raw-ads-stream';
import { createAdsServer, type AdsServer } from './ads-server';

/**
 * Streams that send byte-identical subscriptions share one decoded request and one name Set
 * (proto/request-intern.ts, name-sets.ts): what one stream then changes must stay its own.
 */
const NAMES = Array.from({ length: 150 }, (_, i) => `outbound|9080||svc-${i}.default.svc.cluster.local`);
const mesh = (movedPort = 9080): XdsResources => ({
  ...basicResources(),
  clusters: NAMES.map((n) => edsCluster(n)),
  endpoints: NAMES.map((n, i) => assignment(n, [`10.0.${i >> 8}.${i & 255}`, i < 2 ? movedPort : 9080])),
});

describe('ADS server: streams sharing one subscription', () => {
  let server: AdsServer;
  let port: number;
  let current: XdsResources;
  const streams: { close(): void }[] = [];
  const track = <S extends { close(): void }>(s: S): S => (streams.push(s), s);

  beforeEach(async () => {
    current = mesh();
    server = createAdsServer({ generate: () => current, logger: silentLogger(), debounce: { quietMs: 20, maxMs: 200 }, registry: new Registry() });
    port = await server.bind('127.0.0.1:0');
  });

  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await server.close();
  });

  const deltaNames = (res: DeltaDiscoveryResponse): string[] => res.resources.map((r) => r.name).sort();

  it('delta: one stream unsubscribing leaves the other subscribed', async () => {
    const open = async (): Promise<RawDeltaStream> => {
      const s = track(new RawDeltaStream(port));
      s.send({ node: SIDECAR_NODE, type_url: TYPE_URLS.CDS });
      const cds = await s.next();
      s.send({ type_url: cds.type_url, response_nonce: cds.nonce });
      s.send({ type_url: TYPE_URLS.EDS, resource_names_subscribe: NAMES });
      const eds = await s.next();
      expect(eds.resources).toHaveLength(150);
      s.send({ type_url: eds.type_url, response_nonce: eds.nonce });
      return s;
    };
    const a = await open();
    const b = await open();
    a.send({ type_url: TYPE_URLS.EDS, resource_names_unsubscribe: [NAMES[0]!] });
    await a.expectNothing(100);
    current = mesh(9999);
    server.push('endpoints moved');
    expect(deltaNames(await b.next())).toEqual([NAMES[0], NAMES[1]].sort());
    expect(deltaNames(await a.next())).toEqual([NAMES[1]]);
    const status = server.syncStatus();
    expect(status).toHaveLength(2);
  });

  it('SotW: one stream dropping a name from its list leaves the other subscribed', async () => {
    const ack = (s: RawAdsStream, res: DiscoveryResponse, names: string[]): void =>
      s.send({ type_url: res.type_url, version_info: res.version_info, response_nonce: res.nonce, resource_names: names });
    const open = async (): Promise<[RawAdsStream, DiscoveryResponse]> => {
      const s = track(new RawAdsStream(port));
      s.send({ node: SIDECAR_NODE, type_url: TYPE_URLS.EDS, resource_names: NAMES });
      const eds = await s.next();
      expect(eds.resources).toHaveLength(150);
      // Every SotW ACK repeats the whole list: these are byte-identical across the two streams.
      ack(s, eds, NAMES);
      return [s, eds];
    };
    const [c, cEds] = await open();
    const [d] = await open();
    await c.expectNothing(100);
    // c narrows its subscription (a request with the ACKed nonce and fewer names: no response due).
    ack(c, cEds, NAMES.slice(1));
    await c.expectNothing(100);
    current = mesh(9999);
    server.push('endpoints moved');
    expect((await d.next()).resources).toHaveLength(150);
    expect((await c.next()).resources).toHaveLength(149);
  });
});
