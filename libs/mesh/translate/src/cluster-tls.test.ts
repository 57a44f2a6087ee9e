import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseYamlDocuments, validateConfig, type ClientTLSSettings, type DestinationRule, type ServiceEntry, type VirtualService } from '@trellis/mesh-api';
import { SYSTEM_CA_BUNDLE, upstreamTls } from './cluster-tls';
import { simulate, translate, type Cluster, type XdsResources } from './index';
import { bookinfoSnapshot, cluster, NS, sidecarProxy } from './testing/bookinfo';

const TLS_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext';
const TLS_PARAMS = { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3' };
const proxy = sidecarProxy('productpage-v1');

const find = (r: XdsResources, name: string): Cluster => {
  const c = r.clusters.find((x) => x.name === name);
  if (!c) throw new Error(`no cluster ${name}`);
  return c;
};

function egressSample(): { se: ServiceEntry; vs: VirtualService; dr: DestinationRule } {
  const file = path.join(__dirname, '../../../../samples/bookinfo/networking/egress-rule-google-apis.yaml');
  const { valid, errors } = validateConfig(parseYamlDocuments(readFileSync(file, 'utf8'), file).objects, { namespace: NS });
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  const objects = valid;
  const of = <T>(kind: string): T => objects.find((o) => o.kind === kind) as T;
  return { se: of('ServiceEntry'), vs: of('VirtualService'), dr: of('DestinationRule') };
}

describe('DestinationRule tls → cluster transport_socket (egress-rule-google-apis.yaml)', () => {
  const { se, vs, dr } = egressSample();
  const r = translate(bookinfoSnapshot({ serviceEntries: [se], virtualServices: [vs], destinationRules: [dr] }), proxy);
  const https = find(r, 'outbound|443||www.googleapis.com');

  it('port 443 (portLevelSettings SIMPLE) gets the UpstreamTlsContext istiod builds; port 80 stays plaintext', () => {
    expect(https.transport_socket).toEqual({
      name: 'envoy.transport_sockets.tls',
      typed_config: { '@type': TLS_TYPE, common_tls_context: { tls_params: TLS_PARAMS, validation_context: { trusted_ca: { filename: SYSTEM_CA_BUNDLE } } } },
    });
    expect(https.lb_policy).toBe('ROUND_ROBIN');
    expect(find(r, 'outbound|80||www.googleapis.com').transport_socket).toBeUndefined();
  });

  it('no DR sni: auto_sni and auto_san_validation in HttpProtocolOptions (SNI and SAN check follow the Host)', () => {
    expect(https.typed_extension_protocol_options?.['envoy.extensions.upstreams.http.v3.HttpProtocolOptions']).toEqual({
      '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
      upstream_http_protocol_options: { auto_sni: true, auto_san_validation: true },
      explicit_http_config: { http_protocol_options: {} },
    });
  });

  it('http://www.googleapis.com:80 is routed to the TLS cluster on 443 (the VirtualService rewrite)', () => {
    expect(simulate(r, { host: 'www.googleapis.com', port: 80, path: '/' }).cluster).toBe('outbound|443||www.googleapis.com');
  });
});

describe('upstreamTls', () => {
  const tls = (t: ClientTLSSettings, http2 = false, serviceSans?: string[]) => upstreamTls({ tls: t, http2, ...(serviceSans ? { serviceSans } : {}) });
  const context = (t: ClientTLSSettings, http2 = false, sans?: string[]) => tls(t, http2, sans).transportSocket?.typed_config as Record<string, unknown>;

  it('DISABLE, unset, ISTIO_MUTUAL without mTLS emission and credentialName (needs SDS) emit nothing', () => {
    expect(tls({ mode: 'DISABLE' })).toEqual({});
    expect(upstreamTls({ tls: undefined, http2: false })).toEqual({});
    expect(tls({ mode: 'ISTIO_MUTUAL' })).toEqual({});
    expect(tls({ mode: 'SIMPLE', credentialName: 'google-ca' })).toEqual({});
    expect(tls({ mode: 'SIMPLE', credentialName: 'configmap://ca' }).transportSocket).toBeDefined();
  });

  it('SIMPLE with sni, caCertificates, subjectAltNames: sni set, no auto options, SAN exact matchers', () => {
    const out = tls({ mode: 'SIMPLE', sni: 'api.example.com', caCertificates: '/etc/certs/ca.pem', subjectAltNames: ['api.example.com', 'spiffe://x/y'] });
    expect(out.upstreamHttpOptions).toBeUndefined();
    expect(out.transportSocket?.typed_config).toEqual({
      '@type': TLS_TYPE,
      sni: 'api.example.com',
      common_tls_context: {
        tls_params: TLS_PARAMS,
        validation_context: { trusted_ca: { filename: '/etc/certs/ca.pem' }, match_subject_alt_names: [{ exact: 'api.example.com' }, { exact: 'spiffe://x/y' }] },
      },
    });
  });

  it('SANs without sni: auto_sni only; insecureSkipVerify: an empty validation context, no auto_san_validation', () => {
    expect(tls({ mode: 'SIMPLE', subjectAltNames: ['a'] }).upstreamHttpOptions).toEqual({ auto_sni: true });
    const insecure = tls({ mode: 'SIMPLE', insecureSkipVerify: true });
    expect(insecure.upstreamHttpOptions).toEqual({ auto_sni: true });
    expect((insecure.transportSocket?.typed_config as { common_tls_context: unknown }).common_tls_context).toEqual({ tls_params: TLS_PARAMS, validation_context: {} });
  });

  it('ServiceEntry subjectAltNames when the DR has none; caCrl as a file', () => {
    const ctx = context({ mode: 'SIMPLE', caCrl: '/crl.pem' }, false, ['se.example.com']);
    expect(ctx['common_tls_context']).toMatchObject({ validation_context: { match_subject_alt_names: [{ exact: 'se.example.com' }], crl: { filename: '/crl.pem' } } });
  });

  it('MUTUAL: the client key pair as files; HTTP/2 clusters advertise ALPN h2', () => {
    const ctx = context({ mode: 'MUTUAL', clientCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem', sni: 's' }, true);
    expect(ctx['common_tls_context']).toEqual({
      tls_params: TLS_PARAMS,
      tls_certificates: [{ certificate_chain: { filename: '/c.pem' }, private_key: { filename: '/k.pem' } }],
      validation_context: { trusted_ca: { filename: '/ca.pem' } },
      alpn_protocols: ['h2'],
    });
    expect(tls({ mode: 'MUTUAL', clientCertificate: '/c.pem' })).toEqual({});
  });
});

describe('tls merging: top level, portLevelSettings, subsets', () => {
  const dr: DestinationRule = {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: 'reviews', namespace: NS },
    spec: {
      host: 'reviews',
      trafficPolicy: { tls: { mode: 'SIMPLE', sni: 'top' } },
      subsets: [
        { name: 'v1', labels: { version: 'v1' } },
        { name: 'v2', labels: { version: 'v2' }, trafficPolicy: { tls: { mode: 'DISABLE' } } },
        { name: 'v3', labels: { version: 'v3' }, trafficPolicy: { portLevelSettings: [{ port: { number: 9080 }, tls: { mode: 'SIMPLE', sni: 'v3-port' } }] } },
      ],
    },
  };
  const r = translate(bookinfoSnapshot({ destinationRules: [dr] }), proxy);
  const sni = (name: string) => (find(r, name).transport_socket?.typed_config as { sni?: string } | undefined)?.sni;

  it('subsets inherit the top-level tls, override it, or override it per port', () => {
    expect(sni(cluster('reviews'))).toBe('top');
    expect(sni(cluster('reviews', 'v1'))).toBe('top');
    expect(find(r, cluster('reviews', 'v2')).transport_socket).toBeUndefined();
    expect(sni(cluster('reviews', 'v3'))).toBe('v3-port');
  });
});
