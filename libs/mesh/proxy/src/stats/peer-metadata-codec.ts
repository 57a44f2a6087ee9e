import { decodeStruct, encodeStruct, type WireStruct } from './struct-wire';
import { CANONICAL_NAME_LABEL, CANONICAL_REVISION_LABEL, type WorkloadInfo } from './workload';

/** istio/proxy's headers (Headers::ExchangeMetadataHeader[Id]). */
export const PEER_METADATA_HEADER = 'x-envoy-peer-metadata';
export const PEER_METADATA_ID_HEADER = 'x-envoy-peer-metadata-id';

const OWNER_PREFIX = 'kubernetes://apis/apps/v1/namespaces/';

/**
 * The Struct istio/proxy's convertWorkloadMetadataToStruct writes: NAME, NAMESPACE, WORKLOAD_NAME,
 * CLUSTER_ID (each only when known), LABELS { canonical name/revision, app, version }, and OWNER
 * (`kubernetes://apis/apps/v1/namespaces/<ns>/deployments/<workload>`).
 */
export function workloadStruct(w: WorkloadInfo): WireStruct {
  const out: Record<string, string | WireStruct> = {};
  if (w.instance !== '') out['NAME'] = w.instance;
  if (w.namespace !== '') out['NAMESPACE'] = w.namespace;
  if (w.workload !== '') out['WORKLOAD_NAME'] = w.workload;
  if (w.cluster !== '') out['CLUSTER_ID'] = w.cluster;
  const labels: Record<string, string> = {};
  if (w.canonicalService !== '') labels[CANONICAL_NAME_LABEL] = w.canonicalService;
  if (w.canonicalRevision !== '') labels[CANONICAL_REVISION_LABEL] = w.canonicalRevision;
  if (w.app !== '') labels['app'] = w.app;
  if (w.version !== '') labels['version'] = w.version;
  out['LABELS'] = labels;
  out['OWNER'] = `${OWNER_PREFIX}${w.namespace}/deployments/${w.workload}`;
  return out;
}

/** The `x-envoy-peer-metadata` value: base64 of the deterministic Struct bytes. */
export function encodePeerMetadata(w: WorkloadInfo): string {
  return encodeStruct(workloadStruct(w)).toString('base64');
}

const str = (s: WireStruct, key: string): string => {
  const v = s[key];
  return typeof v === 'string' ? v : '';
};

/** convertStructToWorkloadMetadata: the fields the metrics use; other keys ignored. */
export function workloadFromStruct(s: WireStruct): WorkloadInfo {
  const labels = typeof s['LABELS'] === 'object' ? s['LABELS'] : {};
  return {
    instance: str(s, 'NAME'),
    namespace: str(s, 'NAMESPACE'),
    workload: str(s, 'WORKLOAD_NAME'),
    cluster: str(s, 'CLUSTER_ID'),
    canonicalService: str(labels, CANONICAL_NAME_LABEL),
    canonicalRevision: str(labels, CANONICAL_REVISION_LABEL),
    app: str(labels, 'app'),
    version: str(labels, 'version'),
  };
}

/** A received header value → the peer, or undefined when it is not base64 of a Struct. */
export function decodePeerMetadata(value: string): WorkloadInfo | undefined {
  try {
    return workloadFromStruct(decodeStruct(Buffer.from(value, 'base64')));
  } catch {
    return undefined;
  }
}
