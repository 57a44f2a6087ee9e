/** Two sidecars that run Istio's TCP metadata exchange (istiod's shapes), for tests of upstream connections carrying it. */
import { ISTIO_STATS_TYPE, UDPA_TYPED_STRUCT_TYPE } from '@trellis/mesh-envoy';
import type { Cluster, FilterChain, Listener } from '../config/envoy-types';
import type { ProxyNode } from '../proxy-node';
import { type TestProxy, send } from './harness';
import { inboundChains, inboundListener, outboundMtlsCluster } from './istio-mtls';

/** A Kubernetes pod's node metadata (labels app + version v1, service account = app). */
export const podNode = (pod: string, app: string, ns = 'default'): ProxyNode => ({
  id: `sidecar~127.0.0.1~${pod}.${ns}~${ns}.svc.cluster.local`,
  cluster: `${app}.${ns}`,
  name: pod,
  namespace: ns,
  labels: { app, version: 'v1' },
  serviceAccount: app,
  clusterId: 'Kubernetes',
  instanceIp: '127.0.0.1',
});

/** istiod's `istio.metadata_exchange` (TypedStruct), the same for listeners and Cluster.filters. */
export const MX_FILTER = { name: 'istio.metadata_exchange', typed_config: { '@type': UDPA_TYPED_STRUCT_TYPE, type_url: 'type.googleapis.com/envoy.tcp.metadataexchange.config.MetadataExchange', value: { protocol: 'istio-peer-exchange', enable_discovery: true } } };
export const STATS_FILTER = { name: 'istio.stats', typed_config: { '@type': ISTIO_STATS_TYPE } };

/** A server sidecar's TCP chains for a port (an undeclared port's mTLS TCP chain: exchange, stats, tcp_proxy). */
export function exchangeServerListener(port: number, mode: 'STRICT' | 'PERMISSIVE'): Listener {
  const chains = inboundChains(port, mode, 'tcp').map((c) => ({ ...c, filters: [MX_FILTER, STATS_FILTER, ...(c.filters ?? [])] })) as FilterChain[];
  return inboundListener(`127.0.0.1_${port}`, port, chains);
}

/** An outbound auto-mTLS cluster expecting `serverSa`, with istiod's upstream exchange in `filters`. */
export function exchangeCluster(name: string, port: number, host: string, serverSa: string, http2: boolean): Cluster {
  return { ...outboundMtlsCluster(name, port, host, { sans: [`spiffe://cluster.local/ns/default/sa/${serverSa}`], http2, auto: true }), filters: [MX_FILTER] } as Cluster;
}

/** The proxy's Prometheus exposition. */
export async function scrapeProxy(p: TestProxy): Promise<string> {
  const prom = await p.proxy.startPrometheus({ host: '127.0.0.1', port: 0 });
  return (await send(prom.port, { path: '/stats/prometheus' })).body;
}
