import { silentLogger } from '@trellis/shared';
import type { ProxyInfo } from '@trellis/mesh-api';
import type { Secret } from '@trellis/mesh-envoy';
import { unpackResource } from '../proto/codec';
import type { DiscoveryResponse } from '../proto/discovery';
import { TYPE_URLS } from '../proto/type-urls';
import type { XdsResources } from '../resources';
import { basicResources, SIDECAR_NODE } from '../testing/fixtures';
import { RawAdsStream } from '../testing/raw-ads-stream';
import { createAdsServer, type AdsServer } from './ads-server';
import { redactSecrets } from './redact-secrets';

const SDS = TYPE_URLS.SDS;
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const pair = (name: string, cert: string): Secret => ({ name, tls_certificate: { certificate_chain: { inline_bytes: b64(cert) }, private_key: { inline_bytes: b64('KEY') } } });

function secretNames(res: DiscoveryResponse): string[] {
  return res.resources.map((a) => String(unpackResource(a)['name']));
}

describe('SDS over ADS (gateway credentials)', () => {
  let server: AdsServer;
  let port: number;
  let secrets: Secret[];
  const streams: RawAdsStream[] = [];
  /** As the translator: only routers are given their namespace's credentials. */
  const generate = (proxy: ProxyInfo): XdsResources => ({ ...basicResources(), ...(proxy.type === 'router' ? { secrets } : {}) });

  beforeEach(async () => {
    secrets = [pair('kubernetes://a', 'CERT-A'), pair('kubernetes://b', 'CERT-B')];
    server = createAdsServer({ generate, logger: silentLogger(), debounce: { quietMs: 10, maxMs: 100 } });
    port = await server.bind('127.0.0.1:0');
  });

  afterEach(async () => {
    for (const s of streams.splice(0)) s.close();
    await server.close();
  });

  const open = (node: object): RawAdsStream => {
    const s = new RawAdsStream(port);
    streams.push(s);
    s.send({ type_url: TYPE_URLS.CDS, resource_names: [], node });
    return s;
  };
  const router = { ...SIDECAR_NODE, id: 'router~10.0.0.2~istio-ingressgateway-1.istio-system~istio-system.svc.cluster.local', metadata: { NAMESPACE: 'istio-system' } };

  it('sends only the names requested (never wildcard), and the decoded bytes are the secret', async () => {
    const s = open(router);
    await s.next();
    s.send({ type_url: SDS, resource_names: ['kubernetes://b'] });
    const res = await s.next();
    expect(res.type_url).toBe(SDS);
    expect(secretNames(res)).toEqual(['kubernetes://b']);
    const tls = unpackResource(res.resources[0]!)['tls_certificate'] as { certificate_chain: { inline_bytes: string } };
    expect(Buffer.from(tls.certificate_chain.inline_bytes, 'base64').toString()).toBe('CERT-B');
  });

  it('an SDS request with no names gets nothing; a sidecar asking by name gets an empty answer', async () => {
    const side = open(SIDECAR_NODE);
    await side.next();
    side.send({ type_url: SDS, resource_names: ['kubernetes://a'] });
    expect(secretNames(await side.next())).toEqual([]);
  });

  it('pushes a rotated secret to the gateway that holds it, and a requested secret once it appears', async () => {
    const s = open(router);
    await s.next();
    s.send({ type_url: SDS, resource_names: ['kubernetes://a', 'kubernetes://c'] });
    const first = await s.next();
    expect(secretNames(first)).toEqual(['kubernetes://a']);
    s.send({ type_url: SDS, version_info: first.version_info, response_nonce: first.nonce, resource_names: ['kubernetes://a', 'kubernetes://c'] });
    secrets = [pair('kubernetes://a', 'CERT-A2'), pair('kubernetes://b', 'CERT-B'), pair('kubernetes://c', 'CERT-C')];
    server.pushNow('rotation');
    const pushed = await s.next();
    expect(pushed.type_url).toBe(SDS);
    expect(secretNames(pushed)).toEqual(['kubernetes://a', 'kubernetes://c']);
    expect(pushed.version_info).not.toBe(first.version_info);
  });

  it('redacts private keys for debug output', () => {
    const out = redactSecrets({ ...basicResources(), secrets: [pair('kubernetes://a', 'CERT')] });
    expect(out.secrets?.[0]?.tls_certificate?.private_key).toEqual({ inline_bytes: b64('[redacted]') });
    expect(out.secrets?.[0]?.tls_certificate?.certificate_chain).toEqual({ inline_bytes: b64('CERT') });
  });
});
