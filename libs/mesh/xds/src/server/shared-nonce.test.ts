import { silentLogger } from '@trellis/shared';
import { TYPE_URLS } from '../proto/type-urls';
import type { XdsResources } from '../resources';
import { assignment, basicResources, edsCluster, SIDECAR_NODE } from '../testing/fixtures';
import { RawAdsStream, RawDeltaStream } from '../testing/raw-ads-stream';
import { createAdsServer, type AdsServer } from './ads-server';
import { sharedNonce } from './shared-nonce';

describe('sharedNonce', () => {
  it('one nonce per body, kind and version; a fresh one where the stream already has it', () => {
    const body = {};
    const n = sharedNonce(body, 'CDS', 'v1', () => false);
    expect(sharedNonce(body, 'CDS', 'v1', () => false)).toBe(n);
    expect(sharedNonce(body, 'EDS', 'v1', () => false)).not.toBe(n);
    expect(sharedNonce(body, 'CDS', 'v2', () => false)).not.toBe(n);
    expect(sharedNonce({}, 'CDS', 'v1', () => false)).not.toBe(n);
    expect(sharedNonce(body, 'CDS', 'v1', (x) => x === n)).not.toBe(n);
  });
});

describe('first answers outside a push round: streams answered the same share one nonce (one encoded message)', () => {
  let server: AdsServer;
  let port: number;
  const current: XdsResources = { ...basicResources(), clusters: [edsCluster('c1')], endpoints: [assignment('c1', ['10.0.0.1', 1])] };
  const closers: { close(): void }[] = [];

  beforeEach(async () => {
    server = createAdsServer({ generate: () => current, logger: silentLogger(), debounce: { quietMs: 20, maxMs: 200 } });
    port = await server.bind('127.0.0.1:0');
  });

  afterEach(async () => {
    for (const s of closers.splice(0)) s.close();
    await server.close();
  });

  it('delta: two streams, same CDS answer, same nonce; the stream\'s next answer of that body gets a fresh one', async () => {
    const [a, b] = [new RawDeltaStream(port), new RawDeltaStream(port)];
    closers.push(a, b);
    a.send({ node: SIDECAR_NODE, type_url: TYPE_URLS.CDS, resource_names_subscribe: ['*'] });
    b.send({ node: SIDECAR_NODE, type_url: TYPE_URLS.CDS, resource_names_subscribe: ['*'] });
    const [ra, rb] = [await a.next(), await b.next()];
    expect(ra.resources.map((r) => r.name)).toEqual(['c1']);
    expect(rb.nonce).toBe(ra.nonce);
    a.send({ type_url: TYPE_URLS.CDS, response_nonce: ra.nonce });
    // Unsubscribe and subscribe again: the same transition (nothing → c1) again on stream a.
    a.send({ type_url: TYPE_URLS.EDS, resource_names_subscribe: ['c1'] });
    const ea = await a.next();
    b.send({ type_url: TYPE_URLS.EDS, resource_names_subscribe: ['c1'] });
    expect((await b.next()).nonce).toBe(ea.nonce);
    a.send({ type_url: TYPE_URLS.EDS, response_nonce: ea.nonce, resource_names_unsubscribe: ['c1'] });
    a.send({ type_url: TYPE_URLS.EDS, resource_names_subscribe: ['c1'] });
    const again = await a.next();
    expect(again.resources.map((r) => r.name)).toEqual(['c1']);
    expect(again.nonce).not.toBe(ea.nonce);
  });

  it('SotW: two streams, same selection, same nonce', async () => {
    const [a, b] = [new RawAdsStream(port), new RawAdsStream(port)];
    closers.push(a, b);
    a.send({ node: SIDECAR_NODE, type_url: TYPE_URLS.CDS });
    b.send({ node: SIDECAR_NODE, type_url: TYPE_URLS.CDS });
    const [ra, rb] = [await a.next(), await b.next()];
    expect(ra.resources).toHaveLength(1);
    expect(rb.nonce).toBe(ra.nonce);
    expect(rb.version_info).toBe(ra.version_info);
  });
});
