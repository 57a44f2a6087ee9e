import type { Exchange } from '../http/exchange';
import { forwardedProto } from '../http/forwarded-proto';
import type { ProxyNode } from '../proxy-node';
import type { ActiveSpan } from './active-span';
import { applyCustomTags } from './custom-tags';
import type { TracingConfig } from './tracing-config';

/**
 * The tags Envoy sets on a downstream span when it finishes (HttpTracerUtility::finalizeDownstreamSpan
 * and setCommonTags, Tracer::startSpan's node_id), then the HCM's custom tags, then Istio's service
 * tags from the node when the config carries none (istiod writes them as literal custom tags).
 */
export function finalizeTags(ex: Exchange, span: ActiveSpan, t: TracingConfig, status: number): void {
  const h = ex.headers;
  const tags = span.tags;
  const node = ex.ctx.node;
  if (node.id !== '') tags['node_id'] = node.id;
  if (ex.requestId !== undefined) tags['guid:x-request-id'] = ex.requestId;
  tags['http.url'] = httpUrl(ex, t.maxPathTagLength);
  tags['http.method'] = ex.method;
  tags['downstream_cluster'] = headerOr(h['x-envoy-downstream-service-cluster'], '-');
  tags['user_agent'] = headerOr(h['user-agent'], '-');
  tags['http.protocol'] = ex.http2 ? 'HTTP/2' : `HTTP/${ex.req.httpVersion}`;
  tags['peer.address'] = ex.remoteAddress;
  const clientTraceId = h['x-client-trace-id'];
  if (typeof clientTraceId === 'string') tags['guid:x-client-trace-id'] = clientTraceId;
  tags['request_size'] = String(Number(h['content-length'] ?? 0) || 0);
  tags['response_size'] = String(ex.bytesSent);
  tags['component'] = 'proxy';
  if (ex.cluster !== undefined) {
    tags['upstream_cluster'] = ex.cluster.name;
    tags['upstream_cluster.name'] = ex.cluster.name;
  }
  tags['http.status_code'] = String(status);
  tags['response_flags'] = ex.flags === '' ? '-' : ex.flags;
  if (status === 0 || (status >= 500 && status < 600)) tags['error'] = 'true';
  applyCustomTags(tags, t.customTags, h);
  if (tags['istio.canonical_service'] === undefined && node.name !== '') nodeServiceTags(tags, node);
}

/** Envoy's buildOriginalUri: scheme://host + the original path, cut at max_path_tag_length. */
function httpUrl(ex: Exchange, max: number): string {
  const original = ex.headers['x-envoy-original-path'];
  let path = typeof original === 'string' ? original : ex.path;
  if (path.length > max) path = path.slice(0, max);
  return `${forwardedProto(ex)}://${ex.hostHeader}${path}`;
}

function headerOr(v: string | string[] | undefined, fallback: string): string {
  if (v === undefined) return fallback;
  return Array.isArray(v) ? v.join(',') : v;
}

/**
 * Istio's buildServiceTags: the canonical service labels the injector adds (derived as it derives them:
 * canonical-name, else app.kubernetes.io/name, else app), the mesh id (the injector's ISTIO_META_MESH_ID
 * default: the trust domain, cluster.local), namespace, cluster id.
 */
function nodeServiceTags(tags: Record<string, string>, node: ProxyNode): void {
  const l = node.labels;
  tags['istio.canonical_revision'] = l['service.istio.io/canonical-revision'] || l['app.kubernetes.io/version'] || l['version'] || 'latest';
  tags['istio.canonical_service'] = l['service.istio.io/canonical-name'] || l['app.kubernetes.io/name'] || l['app'] || 'unknown';
  tags['istio.mesh_id'] = 'cluster.local';
  tags['istio.namespace'] = node.namespace || 'default';
  tags['istio.cluster_id'] = node.clusterId || 'unknown';
}
