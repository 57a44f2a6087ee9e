import type { ProxyConfigOverrides, ProxyInfo, ProxyType } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import type { XdsNode } from '../proto/discovery';

/**
 * ProxyInfo from an Istio-style xDS node:
 * id `sidecar~10.1.2.3~reviews-v1-abc-def.default~default.svc.cluster.local` (or `router~...`),
 * metadata NAMESPACE, NAME, LABELS, SERVICE_ACCOUNT, INTERCEPTION_MODE, INSTANCE_IPS, GENERATOR,
 * TRELLIS_APP_ENDPOINTS (JSON string map), PROXY_CONFIG, HTTP10. Metadata wins over what the id implies.
 */
export function proxyInfoFromNode(node: XdsNode | undefined): ProxyInfo {
  const id = node?.id;
  if (id === undefined || id === '') {
    throw new TrellisError('XDS_NODE_ID_MISSING', 'The first DiscoveryRequest must carry node.id');
  }
  const meta = node?.metadata ?? {};
  const parts = id.split('~');
  const fromId = parts.length === 4 ? parts : undefined;
  const podDotNs = fromId?.[2] ?? '';
  const dot = podDotNs.lastIndexOf('.');
  const namespace = str(meta['NAMESPACE']) ?? (dot > 0 ? podDotNs.slice(dot + 1) : undefined) ?? 'default';
  const appEndpoints = parseAppEndpoints(meta['TRELLIS_APP_ENDPOINTS']);
  return {
    id,
    type: proxyType(fromId?.[0]),
    ipAddress: fromId?.[1] ?? firstIp(meta['INSTANCE_IPS']) ?? '',
    workloadName: str(meta['NAME']) ?? (dot > 0 ? podDotNs.slice(0, dot) : podDotNs || id),
    namespace,
    labels: stringMap(meta['LABELS'], 'LABELS') ?? {},
    ...(str(meta['SERVICE_ACCOUNT']) !== undefined ? { serviceAccount: str(meta['SERVICE_ACCOUNT']) } : {}),
    generator: isGrpcClient(node) ? 'grpc' : 'envoy',
    interception: meta['INTERCEPTION_MODE'] === 'NONE' ? 'NONE' : 'REDIRECT',
    ...(appEndpoints !== undefined ? { appEndpoints } : {}),
    ...proxyConfigOf(meta['PROXY_CONFIG']),
    // istiod's enableHTTP10: exactly "1".
    ...(meta['HTTP10'] === '1' && { http10: true }),
  };
}

/** PROXY_CONFIG (Istio's agent: the pod's proxy.istio.io/config over defaultConfig), object or JSON; only tracing is read. */
function proxyConfigOf(value: unknown): { proxyConfig?: ProxyConfigOverrides } {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v) as unknown;
    } catch {
      return {};
    }
  }
  const tracing = v !== null && typeof v === 'object' ? (v as { tracing?: unknown }).tracing : undefined;
  if (tracing === null || typeof tracing !== 'object') return {};
  const t = tracing as { sampling?: unknown; maxPathTagLength?: unknown };
  const num = (x: unknown): number | undefined => (typeof x === 'number' ? x : typeof x === 'string' && x !== '' && !Number.isNaN(Number(x)) ? Number(x) : undefined);
  const sampling = num(t.sampling);
  const maxPathTagLength = num(t.maxPathTagLength);
  return { proxyConfig: { tracing: { ...(sampling === undefined ? {} : { sampling }), ...(maxPathTagLength === undefined ? {} : { maxPathTagLength }) } } };
}

function proxyType(value: string | undefined): ProxyType {
  return value === 'router' ? 'router' : 'sidecar';
}

/** Proxyless gRPC: `GENERATOR: grpc` (Istio's switch), or a gRPC library's user agent. */
function isGrpcClient(node: XdsNode | undefined): boolean {
  if (node?.metadata?.['GENERATOR'] === 'grpc') return true;
  return node?.user_agent_name?.startsWith('gRPC') === true;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function firstIp(value: unknown): string | undefined {
  return str(value)?.split(',')[0]?.trim();
}

function stringMap(value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TrellisError('XDS_NODE_METADATA_INVALID', 'Node metadata field must be a string map', { field });
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new TrellisError('XDS_NODE_METADATA_INVALID', 'Node metadata field must be a string map', { field, key: k });
    }
    out[k] = v;
  }
  return out;
}

function parseAppEndpoints(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'string') return stringMap(value, 'TRELLIS_APP_ENDPOINTS');
  try {
    return stringMap(JSON.parse(value) as unknown, 'TRELLIS_APP_ENDPOINTS');
  } catch (err) {
    if (err instanceof TrellisError) throw err;
    throw new TrellisError('XDS_NODE_METADATA_INVALID', 'TRELLIS_APP_ENDPOINTS is not valid JSON', { field: 'TRELLIS_APP_ENDPOINTS' });
  }
}
