/**
 * Prometheus and the trace store behind Kiali's origin (@fastify/http-proxy), so a browser that reaches
 * Kiali reaches them too (a port-forward of Kiali alone is enough):
 *  - `/prometheus/**` → the Prometheus base URL (its HTTP API: `/prometheus/api/v1/query?...`);
 *  - `/zipkin/**` → the trace store's UI, `/api/v2/**` → its Zipkin API (the UI's own links).
 * Not configured = not mounted (404). An unreachable upstream answers 503/504 in the `{error, detail}` shape.
 */
import httpProxy from '@fastify/http-proxy';
import type { FastifyInstance } from 'fastify';

export interface ProxyTargets {
  readonly prometheusUrl?: string;
  readonly tracingUrl?: string;
  readonly timeoutMs?: number;
}

export async function registerProxies(app: FastifyInstance, targets: ProxyTargets): Promise<void> {
  const timeout = targets.timeoutMs ?? 10_000;
  const http = { requestOptions: { timeout } };
  if (targets.prometheusUrl !== undefined) {
    await app.register(httpProxy, { upstream: targets.prometheusUrl, prefix: '/prometheus', rewritePrefix: '', http });
  }
  if (targets.tracingUrl !== undefined) {
    await app.register(httpProxy, { upstream: targets.tracingUrl, prefix: '/zipkin', rewritePrefix: '/zipkin', http });
    await app.register(httpProxy, { upstream: targets.tracingUrl, prefix: '/api/v2', rewritePrefix: '/api/v2', http });
  }
}
