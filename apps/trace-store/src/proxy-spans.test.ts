/**
 * What the mesh proxy reports is what this store accepts: a real proxy (Zipkin tracer, 100 %) sends
 * its spans through its collector cluster to a real trace store, which takes them (202) and serves
 * them back by trace, service and span name — the Zipkin API contract both sides follow.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HCM_TYPE, ROUTER_TYPE, ZIPKIN_TRACER_NAME, ZIPKIN_TRACER_TYPE } from '@trellis/mesh-envoy';
import { type Envoy, UNKNOWN_NODE, createProxy } from '@trellis/mesh-proxy';
import { silentLogger } from '@trellis/shared';
import { startTestServer } from './testing/server';

const COLLECTOR = 'outbound|9411||zipkin.istio-system.svc.cluster.local';

function staticCluster(name: string, port: number): Envoy.Cluster {
  return {
    name, type: 'STATIC', connect_timeout: { seconds: 1, nanos: 0 }, lb_policy: 'ROUND_ROBIN',
    load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: port } } } }] }] },
  };
}

function tracedListener(): Envoy.Listener {
  const hcm = {
    '@type': HCM_TYPE, stat_prefix: 'outbound_0.0.0.0_9080',
    route_config: { name: '9080', virtual_hosts: [{ name: 'details', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'app' }, decorator: { operation: 'details.default.svc.cluster.local:9080/*' } }] }] },
    http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } }],
    tracing: {
      provider: { name: ZIPKIN_TRACER_NAME, typed_config: { '@type': ZIPKIN_TRACER_TYPE, collector_cluster: COLLECTOR, collector_endpoint: '/api/v2/spans', collector_endpoint_version: 'HTTP_JSON', collector_hostname: 'zipkin.istio-system:9411', trace_id_128bit: true, shared_span_context: { value: false } } },
      random_sampling: { value: 100 },
    },
  };
  return {
    name: '0.0.0.0_9080', traffic_direction: 'OUTBOUND', address: { socket_address: { address: '127.0.0.1', port_value: 0 } },
    filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: hcm }] }],
  } as Envoy.Listener;
}

describe('spans from the mesh proxy', () => {
  it('are accepted (202) and queryable by trace id, service and span name', async () => {
    const store = await startTestServer();
    const app: Server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const node = { ...UNKNOWN_NODE, id: 'sidecar~127.0.0.1~productpage-v1-1.default~default.svc.cluster.local', cluster: 'productpage.default', name: 'productpage-v1-1', namespace: 'default', instanceIp: '127.0.0.1' };
    const proxy = createProxy({ mode: 'sidecar', logger: silentLogger(), drainMs: 100, node, bindOverride: () => ({ host: '127.0.0.1', port: 0 }), tracingFlush: { minFlushSpans: 3, flushIntervalMs: 50, maxInFlight: 4 } });
    const storePort = Number(new URL(store.origin).port);
    try {
      await proxy.apply('CDS', [staticCluster('app', (app.address() as AddressInfo).port), staticCluster(COLLECTOR, storePort)]);
      await proxy.apply('LDS', [tracedListener()]);
      const port = proxy.listenerAddresses()[0]?.port ?? 0;
      for (let i = 0; i < 3; i++) expect((await fetch(`http://127.0.0.1:${port}/details/${i}`, { headers: { host: 'details:9080' } })).status).toBe(200);
      let traces: { traceId: string; name: string; kind: string; tags: Record<string, string> }[][] = [];
      for (let i = 0; i < 100 && traces.length < 3; i++) {
        await new Promise((r) => setTimeout(r, 20));
        traces = (await store.getJson<typeof traces>('/api/v2/traces?serviceName=productpage.default&limit=10')).body;
      }
      expect(traces).toHaveLength(3);
      const span = traces[0]?.[0];
      expect(span).toMatchObject({ kind: 'CLIENT', name: 'details.default.svc.cluster.local:9080/*' });
      expect(span?.tags['http.status_code']).toBe('200');
      const byId = await store.getJson<unknown[]>(`/api/v2/trace/${span?.traceId ?? ''}`);
      expect(byId.status).toBe(200);
      expect(byId.body).toHaveLength(1);
      expect((await store.getJson<string[]>('/api/v2/services')).body).toContain('productpage.default');
      expect((await store.getJson<string[]>('/api/v2/spans?serviceName=productpage.default')).body).toEqual(['details.default.svc.cluster.local:9080/*']);
      const stats = await (await fetch(`http://127.0.0.1:${(await proxy.startAdmin({ host: '127.0.0.1', port: 0 })).port}/stats`)).text();
      // Three spans in one or more reports: how the batch window splits them depends on timing.
      expect(stats).toContain('tracing.zipkin.spans_sent: 3');
      expect(stats).toMatch(/^tracing\.zipkin\.reports_sent: [1-3]$/m);
    } finally {
      await proxy.close();
      await new Promise<void>((r) => app.close(() => r()));
      await store.close();
    }
  });
});
