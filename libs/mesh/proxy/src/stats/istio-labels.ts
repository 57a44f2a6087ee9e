import { type WorkloadInfo, principalNamespace } from './workload';

/**
 * The standard metrics' labels in istio_stats' order (istio/proxy istio_stats.cc populatePeerInfo,
 * then the protocol's tail), and how each side's values are resolved. Pure: a table of inputs →
 * label values, built once per distinct edge, never per request.
 */
export const PEER_LABELS = [
  'reporter',
  'source_workload',
  'source_canonical_service',
  'source_canonical_revision',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_service_name',
  'destination_service_namespace',
  'destination_cluster',
] as const;

export const HTTP_LABELS = [...PEER_LABELS, 'request_protocol', 'response_code', 'grpc_response_status', 'response_flags', 'connection_security_policy'] as const;
export const TCP_LABELS = [...PEER_LABELS, 'request_protocol', 'response_flags', 'connection_security_policy'] as const;

export type Reporter = 'source' | 'destination';

/** What one request or connection knows about its edge, besides the local workload. */
export interface EdgeFacts {
  readonly reporter: Reporter;
  /** The other side's workload (peer metadata exchange), if it told us. */
  readonly peer: WorkloadInfo | undefined;
  /** The peer's certificate URI SAN (server: the downstream's; client: the upstream's); '' = none. */
  readonly peerPrincipal: string;
  /** Our own certificate's URI SAN on that connection; '' = none. */
  readonly localPrincipal: string;
  /** destination_service (cluster metadata `istio.services[0].host`, a passthrough cluster's name, or the Host fallback). */
  readonly serviceHost: string;
  readonly serviceName: string;
}

const or = (v: string, fallback: string): string => (v === '' ? fallback : v);
const U = 'unknown';

function serverSide(local: WorkloadInfo, f: EdgeFacts, peerNs: string): string[] {
  const p = f.peer;
  return [
    'destination',
    or(p?.workload ?? '', U),
    or(p?.canonicalService ?? '', U),
    or(p?.canonicalRevision ?? '', 'latest'),
    or(peerNs, U),
    or(f.peerPrincipal, U),
    or(p?.app ?? '', U),
    or(p?.version ?? '', U),
    or(p?.cluster ?? '', U),
    or(local.workload, U),
    or(local.namespace, U),
    or(f.localPrincipal, U),
    or(local.app, U),
    or(local.version, U),
    or(f.serviceHost, or(local.canonicalService, U)),
    or(local.canonicalService, U),
    or(local.canonicalRevision, 'latest'),
    or(f.serviceName, or(local.canonicalService, U)),
    or(local.namespace, U),
    or(local.cluster, U),
  ];
}

function clientSide(local: WorkloadInfo, f: EdgeFacts, peerNs: string): string[] {
  const p = f.peer;
  return [
    'source',
    or(local.workload, U),
    or(local.canonicalService, U),
    or(local.canonicalRevision, 'latest'),
    or(local.namespace, U),
    or(f.localPrincipal, U),
    or(local.app, U),
    or(local.version, U),
    or(local.cluster, U),
    or(p?.workload ?? '', U),
    or(peerNs, U),
    or(f.peerPrincipal, U),
    or(p?.app ?? '', U),
    or(p?.version ?? '', U),
    or(f.serviceHost, U),
    or(p?.canonicalService ?? '', U),
    or(p?.canonicalRevision ?? '', 'latest'),
    or(f.serviceName, U),
    or(peerNs, U),
    or(p?.cluster ?? '', U),
  ];
}

/** The 20 peer labels' values for an edge, in PEER_LABELS order. The peer's namespace: its SAN's, else its metadata's. */
export function peerLabelValues(local: WorkloadInfo, f: EdgeFacts): string[] {
  const peerNs = or(f.peerPrincipal === '' ? '' : principalNamespace(f.peerPrincipal), f.peer?.namespace ?? '');
  return f.reporter === 'destination' ? serverSide(local, f, peerNs) : clientSide(local, f, peerNs);
}

/** connection_security_policy: the server knows (mutual_tls when both sides have a SAN, else none); the client reports unknown. */
export function securityPolicy(f: EdgeFacts): 'mutual_tls' | 'none' | 'unknown' {
  if (f.reporter !== 'destination') return 'unknown';
  return f.peerPrincipal !== '' && f.localPrincipal !== '' ? 'mutual_tls' : 'none';
}

/** Istio's destination_service_name when cluster metadata names no service: the host's first label. */
export function serviceNameOf(host: string): string {
  const dot = host.indexOf('.');
  return dot < 0 ? host : host.slice(0, dot);
}
