import type { Gateway, GatewayServer, MeshService, TlsCredential, VirtualService } from '@trellis/mesh-api';
import { DOWNSTREAM_TLS_CONTEXT_TYPE, HCM_TYPE, TLS_INSPECTOR_TYPE } from '@trellis/mesh-envoy';
import { translate } from './index';
import { GATEWAY_PROXY, NS, bookinfoSnapshot, sidecarProxy } from './testing/bookinfo';

/** Istio's secure-ingress task (bookinfo-spec §5.7): credentialName Secrets in the gateway's namespace. */
const ingress: MeshService = {
  name: 'istio-ingressgateway',
  namespace: 'istio-system',
  hostname: 'istio-ingressgateway.istio-system.svc.cluster.local',
  ports: [
    { name: 'http2', port: 80, targetPort: 8080, protocol: 'HTTP' },
    { name: 'https', port: 443, targetPort: 8443, protocol: 'HTTPS' },
  ],
  selector: { istio: 'ingressgateway' },
};
const credential: TlsCredential = { namespace: 'istio-system', name: 'bookinfo-credential', version: '1', certChain: 'CERT', privateKey: 'KEY', caCert: 'CA' };

function gateway(servers: GatewayServer[]): Gateway {
  return { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'bookinfo-gateway', namespace: NS }, spec: { selector: { istio: 'ingressgateway' }, servers } };
}
const https = (tls: GatewayServer['tls'], hosts = ['bookinfo.example.com']): GatewayServer => ({ port: { number: 443, name: 'https', protocol: 'HTTPS' }, tls, hosts });
const vs: VirtualService = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'bookinfo', namespace: NS },
  spec: { hosts: ['bookinfo.example.com'], gateways: ['bookinfo-gateway'], http: [{ route: [{ destination: { host: 'productpage', port: { number: 9080 } } }] }] },
};

function run(servers: GatewayServer[], credentials: TlsCredential[] = [credential], proxy = GATEWAY_PROXY): ReturnType<typeof translate> {
  const base = bookinfoSnapshot();
  return translate({ ...base, services: [...base.services, ingress], gateways: [gateway(servers)], virtualServices: [vs], credentials }, proxy);
}

const ADS = { ads: {}, resource_api_version: 'V3' };
const TLS_PARAMS = {
  tls_minimum_protocol_version: 'TLSv1_2',
  tls_maximum_protocol_version: 'TLSv1_3',
  cipher_suites: ['ECDHE-ECDSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-GCM-SHA256'],
};
const ROUTE = 'https.443.https.bookinfo-gateway.default';

function secureListener(r: ReturnType<typeof translate>): (typeof r.listeners)[number] | undefined {
  return r.listeners.find((l) => l.name === '0.0.0.0_8443');
}

describe('gateway secure ingress (tls SIMPLE / MUTUAL / ISTIO_MUTUAL)', () => {
  it('SIMPLE: 0.0.0.0_8443, tls_inspector, one chain matched by SNI, the credential over ADS SDS, RDS https.443.https.<gw>.<ns>', () => {
    const r = run([https({ mode: 'SIMPLE', credentialName: 'bookinfo-credential' })]);
    expect(secureListener(r)).toEqual({
      name: '0.0.0.0_8443',
      address: { socket_address: { address: '0.0.0.0', port_value: 8443 } },
      traffic_direction: 'OUTBOUND',
      listener_filters: [{ name: 'envoy.filters.listener.tls_inspector', typed_config: { '@type': TLS_INSPECTOR_TYPE } }],
      filter_chains: [
        {
          filter_chain_match: { server_names: ['bookinfo.example.com'] },
          transport_socket: {
            name: 'envoy.transport_sockets.tls',
            typed_config: {
              '@type': DOWNSTREAM_TLS_CONTEXT_TYPE,
              common_tls_context: {
                tls_params: TLS_PARAMS,
                alpn_protocols: ['h2', 'http/1.1'],
                tls_certificate_sds_secret_configs: [{ name: 'kubernetes://bookinfo-credential', sds_config: ADS }],
              },
              require_client_certificate: { value: false },
            },
          },
          filters: [expect.objectContaining({ typed_config: expect.objectContaining({ '@type': HCM_TYPE, stat_prefix: 'outbound_0.0.0.0_8443', rds: { route_config_name: ROUTE, config_source: expect.anything() } }) })],
        },
      ],
    });
    const route = r.routes.find((x) => x.name === ROUTE);
    expect(route?.virtual_hosts?.map((v) => v.domains)).toEqual([['bookinfo.example.com', 'bookinfo.example.com:443']]);
    expect(route?.virtual_hosts?.[0]?.routes?.[0]?.route?.cluster).toBe('outbound|9080||productpage.default.svc.cluster.local');
  });

  it('MUTUAL: the <name>-cacert validation context over ADS and a required client certificate', () => {
    const ctx = secureListener(run([https({ mode: 'MUTUAL', credentialName: 'bookinfo-credential' })]))?.filter_chains?.[0]?.transport_socket?.typed_config;
    expect(ctx).toMatchObject({
      common_tls_context: {
        tls_certificate_sds_secret_configs: [{ name: 'kubernetes://bookinfo-credential', sds_config: ADS }],
        combined_validation_context: { default_validation_context: {}, validation_context_sds_secret_config: { name: 'kubernetes://bookinfo-credential-cacert', sds_config: ADS } },
      },
      require_client_certificate: { value: true },
    });
  });

  it('ISTIO_MUTUAL: the workload certificate and the mesh root (SDS default / ROOTCA)', () => {
    const ctx = secureListener(run([https({ mode: 'ISTIO_MUTUAL' })], []))?.filter_chains?.[0]?.transport_socket?.typed_config as { common_tls_context?: object; require_client_certificate?: object };
    expect(ctx.common_tls_context).toMatchObject({
      tls_certificate_sds_secret_configs: [{ name: 'default', sds_config: expect.objectContaining({ api_config_source: expect.anything() }) }],
      combined_validation_context: { validation_context_sds_secret_config: { name: 'ROOTCA' } },
    });
    expect(ctx.require_client_certificate).toEqual({ value: true });
  });

  it('a missing Secret (or MUTUAL without a CA) emits no chain, and the rest of the config stands', () => {
    const none = run([https({ mode: 'SIMPLE', credentialName: 'bookinfo-credential' })], []);
    expect(secureListener(none)).toBeUndefined();
    expect(none.routes.map((x) => x.name)).not.toContain(ROUTE);
    const noCa = run([https({ mode: 'MUTUAL', credentialName: 'bookinfo-credential' })], [{ ...credential, caCert: undefined }]);
    expect(secureListener(noCa)).toBeUndefined();
    const split = run([https({ mode: 'MUTUAL', credentialName: 'bookinfo-credential' })], [{ ...credential, caCert: undefined }, { namespace: 'istio-system', name: 'bookinfo-credential-cacert', version: '1', caCert: 'CA2' }]);
    expect(secureListener(split)).toBeDefined();
    expect(split.secrets?.find((s) => s.name === 'kubernetes://bookinfo-credential-cacert')?.validation_context?.trusted_ca?.inline_bytes).toBe(btoa('CA2'));
  });

  it('servers on one port get one chain each by SNI; a host claimed twice and a second * are dropped', () => {
    const l = secureListener(
      run([
        https({ mode: 'SIMPLE', credentialName: 'bookinfo-credential' }, ['bookinfo.example.com']),
        { ...https({ mode: 'SIMPLE', credentialName: 'bookinfo-credential' }, ['default/*.example.com', 'bookinfo.example.com']), port: { number: 443, name: 'https-wild', protocol: 'HTTPS' } },
      ]),
    );
    expect(l?.filter_chains?.map((c) => c.filter_chain_match?.server_names)).toEqual([['bookinfo.example.com'], ['*.example.com']]);
  });

  it('httpsRedirect on the HTTP server: its virtual hosts require TLS (301 to https)', () => {
    const r = run([{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['bookinfo.example.com'], tls: { httpsRedirect: true } }, https({ mode: 'SIMPLE', credentialName: 'bookinfo-credential' })]);
    const http = r.routes.find((x) => x.name === 'http.8080');
    expect(http?.virtual_hosts?.map((v) => [v.name, v.require_tls])).toEqual([['bookinfo.example.com:8080', 'ALL']]);
    expect(r.routes.find((x) => x.name === ROUTE)?.virtual_hosts?.[0]?.require_tls).toBeUndefined();
  });

  it('SDS resources: the gateway namespace credentials as inline bytes (key pair, -cacert); none for sidecars or other namespaces', () => {
    const r = run([https({ mode: 'SIMPLE', credentialName: 'bookinfo-credential' })], [credential, { ...credential, namespace: 'default', name: 'other' }]);
    expect(r.secrets).toEqual([
      { name: 'kubernetes://bookinfo-credential', tls_certificate: { certificate_chain: { inline_bytes: btoa('CERT') }, private_key: { inline_bytes: btoa('KEY') } } },
      { name: 'kubernetes://bookinfo-credential-cacert', validation_context: { trusted_ca: { inline_bytes: btoa('CA') } } },
    ]);
    expect(run([], [credential], sidecarProxy('productpage')).secrets).toBeUndefined();
  });
});
