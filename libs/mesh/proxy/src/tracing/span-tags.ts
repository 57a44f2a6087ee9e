import type { Exchange } from '../http/exchange';
import { forwardedProto } from '../http/forwarded-proto';
import type { ProxyNode } from '../proxy-node';
import { applyCustomTags } from './custom-tags';
import type { TagList } from './tag-list';
import type { TracingConfig } from './tracing-config';

/**
 * The tags Envoy sets on a downstream span when it finishes (HttpTracerUtility::finalizeDownstreamSpan
 * and setCommonTags, Tracer::startSpan's node_id), then the HCM's custom tags, then Istio's service
 * tags from the node when the config carries none (istiod writes them as literal custom tags).
 */
export function finalizeTags(ex: Exchange, t: TracingConfig, status: number, tags: TagList): void {
  const h = ex.headers;
  const node = ex.ctx.node;
  tags.reset();
  if (node.id !== '') tags.add('node_id', node.id);
  if (ex.requestId !== undefined) tags.add('guid:x-request-id', ex.requestId);
  tags.add('http.url', httpUrl(ex, t.maxPathTagLength));
  tags.add('http.method', ex.method);
  tags.add('downstream_cluster', headerOr(h['x-envoy-downstream-service-cluster'], '-'));
  tags.add('user_agent', headerOr(h['user-agent'], '-'));
  tags.add('http.protocol', ex.http2 ? 'HTTP/2' : ex.req.httpVersion === '1.1' ? 'HTTP/1.1' : `HTTP/${ex.req.httpVersion}`);
  tags.add('peer.address', ex.remoteAddress);
  const clientTraceId = h['x-client-trace-id'];
  if (typeof clientTraceId === 'string') tags.add('guid:x-client-trace-id', clientTraceId);
  tags.add('request_size', String(Number(h['content-length'] ?? 0) || 0));
  tags.add('response_size', String(ex.bytesSent));
  tags.add('component', 'proxy');
  if (ex.cluster !== undefined) {
    tags.add('upstream_cluster', ex.cluster.name);
    tags.add('upstream_cluster.name', ex.cluster.name);
  }
  tags.add('http.status_code', String(status));
  tags.add('response_flags', ex.flags === '' ? '-' : ex.flags);
  if (status === 0 || (status >= 500 && status < 600)) tags.add('error', 'true');
  applyCustomTags(tags, t.customTags, h);
  if (node.name !== '' && tags.get('istio.canonical_service') === undefined) nodeServiceTags(tags, node);
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
function nodeServiceTags(tags: TagList, node: ProxyNode): void {
  const l = node.labels;
  tags.set('istio.canonical_revision', l['service.istio.io/canonical-revision'] || l['app.kubernetes.io/version'] || l['version'] || 'latest');
  tags.add('istio.canonical_service', l['service.istio.io/canonical-name'] || l['app.kubernetes.io/name'] || l['app'] || 'unknown');
  tags.set('istio.mesh_id', 'cluster.local');
  tags.set('istio.namespace', node.namespace || 'default');
  tags.set('istio.cluster_id', node.clusterId || 'unknown');
}
