import { defaultMeshConfig, type MeshConfig, type MeshService, type Telemetry, type TelemetrySpec } from '@trellis/mesh-api';
import { HCM_FILTER_NAME, TCP_PROXY_FILTER_NAME, type HttpConnectionManager, type Listener, type TcpProxy, type XdsResources } from '@trellis/mesh-envoy';
import { translate } from '../translate';
import { createTranslator } from '../translator';
import { GATEWAY_PROXY, bookinfoGateway, bookinfoSnapshot, bookinfoVirtualService, sidecarProxy } from '../testing/bookinfo';
import { ENVOY_TEXT_LOG_FORMAT } from './access-log-format';
import { telemetryMetricOverrides } from './metric-overrides';
import { buildContext } from '../context';

const tel = (name: string, namespace: string, spec: TelemetrySpec, created = '2024-01-01T00:00:00Z'): Telemetry => ({
  apiVersion: 'telemetry.istio.io/v1',
  kind: 'Telemetry',
  metadata: { name, namespace, creationTimestamp: created },
  spec,
});
const zipkinSvc: MeshService = { name: 'zipkin', namespace: 'istio-system', hostname: 'zipkin.istio-system.svc.cluster.local', ports: [{ name: 'http-query', port: 9411, targetPort: 9411, protocol: 'HTTP' }], selector: { app: 'zipkin' } };
const mesh = (m: Partial<MeshConfig> = {}): MeshConfig => ({ ...defaultMeshConfig(), enableTracing: false, ...m });
const snap = (meshConfig: MeshConfig, telemetries: Telemetry[] = []): ReturnType<typeof bookinfoSnapshot> => {
  const base = bookinfoSnapshot({ meshConfig, telemetries });
  return { ...base, services: [...base.services, zipkinSvc] };
};

function hcms(r: XdsResources, name?: string): HttpConnectionManager[] {
  return r.listeners
    .filter((l) => name === undefined || l.name === name)
    .flatMap((l: Listener) => [...(l.filter_chains ?? []), ...(l.default_filter_chain ? [l.default_filter_chain] : [])])
    .flatMap((c) => c.filters ?? [])
    .filter((f) => f.name === HCM_FILTER_NAME)
    .map((f) => f.typed_config as unknown as HttpConnectionManager);
}
function tcps(r: XdsResources): TcpProxy[] {
  return r.listeners.flatMap((l) => (l.filter_chains ?? []).flatMap((c) => c.filters ?? [])).filter((f) => f.name === TCP_PROXY_FILTER_NAME).map((f) => f.typed_config as unknown as TcpProxy);
}
const inbound = (r: XdsResources): HttpConnectionManager[] => hcms(r, 'virtualInbound');
const outbound = (r: XdsResources): HttpConnectionManager[] => hcms(r, '0.0.0.0_9080');

describe('access logs as istiod writes them', () => {
  it("none by default (Istio's accessLogFile is empty), nor without a MeshConfig", () => {
    const r = translate(snap(mesh()), sidecarProxy('productpage'));
    expect(hcms(r).every((h) => h.access_log === undefined && h.tracing === undefined)).toBe(true);
    expect(tcps(r).every((t) => t.access_log === undefined)).toBe(true);
    expect(hcms(translate(bookinfoSnapshot(), sidecarProxy('productpage'))).every((h) => h.tracing === undefined)).toBe(true);
  });

  it('meshConfig.accessLogFile: a file access log in the default TEXT format on every HCM and tcp_proxy, sidecar and gateway', () => {
    const r = translate(snap(mesh({ accessLogFile: '/dev/stdout' })), sidecarProxy('productpage'));
    const expected = [{ name: 'envoy.access_loggers.file', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog', path: '/dev/stdout', log_format: { text_format_source: { inline_string: ENVOY_TEXT_LOG_FORMAT } } } }];
    expect(inbound(r).length).toBeGreaterThan(0);
    for (const h of [...inbound(r), ...outbound(r)]) expect(h.access_log).toEqual(expected);
    expect(tcps(r).length).toBeGreaterThan(0);
    for (const t of tcps(r)) expect(t.access_log).toEqual(expected);
    const gw = translate({ ...snap(mesh({ accessLogFile: '/dev/stdout' })), gateways: [bookinfoGateway], virtualServices: [bookinfoVirtualService] }, GATEWAY_PROXY);
    expect(hcms(gw).length).toBeGreaterThan(0);
    expect(hcms(gw).every((h) => h.access_log?.length === 1)).toBe(true);
  });

  it('JSON encoding: the default Istio JSON or accessLogFormat; TEXT with a custom format gets its newline', () => {
    const json = hcms(translate(snap(mesh({ accessLogFile: '/tmp/a.log', accessLogEncoding: 'JSON' })), sidecarProxy('details')))[0]?.access_log?.[0]?.typed_config as unknown as { log_format: { json_format: Record<string, string> } };
    expect(json.log_format.json_format['request_id']).toBe('%REQ(X-REQUEST-ID)%');
    const custom = hcms(translate(snap(mesh({ accessLogFile: '/dev/stdout', accessLogEncoding: 'JSON', accessLogFormat: '{"code":"%RESPONSE_CODE%"}' })), sidecarProxy('details')))[0]?.access_log?.[0]?.typed_config as unknown as { log_format: unknown };
    expect(custom.log_format).toEqual({ json_format: { code: '%RESPONSE_CODE%' } });
    const text = hcms(translate(snap(mesh({ accessLogFile: '/dev/stdout', accessLogFormat: '%RESPONSE_CODE%' })), sidecarProxy('details')))[0]?.access_log?.[0]?.typed_config as unknown as { log_format: unknown };
    expect(text.log_format).toEqual({ text_format_source: { inline_string: '%RESPONSE_CODE%\n' } });
  });

  it('Telemetry: provider envoy mesh-wide, a namespace filter, a workload disabling it; mode CLIENT/SERVER', () => {
    const meshWide = tel('mesh-default', 'istio-system', { accessLogging: [{ providers: [{ name: 'envoy' }] }] });
    // istiod keeps a filter only for the providers its own entry names (mergeLogs).
    const nsFilter = tel('ns', 'default', { accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: 'response.code >= 400' } }] });
    const off = tel('off', 'default', { selector: { matchLabels: { app: 'ratings' } }, accessLogging: [{ disabled: true }] });
    const serverOnly = tel('srv', 'default', { selector: { matchLabels: { app: 'details' } }, accessLogging: [{ match: { mode: 'SERVER' }, disabled: true }] });
    const s = snap(mesh(), [meshWide, nsFilter, off, serverOnly]);
    const pp = translate(s, sidecarProxy('productpage'));
    expect(inbound(pp)[0]?.access_log?.[0]?.filter).toEqual({ extension_filter: { name: 'envoy.access_loggers.extension_filters.cel', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter', expression: 'response.code >= 400' } } });
    expect((inbound(pp)[0]?.access_log?.[0]?.typed_config as unknown as { path: string }).path).toBe('/dev/stdout');
    expect(hcms(translate(s, sidecarProxy('ratings'))).every((h) => h.access_log === undefined)).toBe(true);
    const details = translate(s, sidecarProxy('details'));
    expect(inbound(details)[0]?.access_log).toBeUndefined();
    expect(outbound(details)[0]?.access_log?.length).toBe(1);
  });

  it('envoyFileAccessLog extension providers: path and text/labels formats; unknown providers skipped', () => {
    const m = mesh({ extensionProviders: [{ name: 'file', envoyFileAccessLog: { path: '/var/log/a.log', logFormat: { labels: { code: '%RESPONSE_CODE%' } } } }] });
    const r = translate(snap(m, [tel('m', 'istio-system', { accessLogging: [{ providers: [{ name: 'file' }, { name: 'nope' }] }] })]), sidecarProxy('reviews'));
    expect(inbound(r)[0]?.access_log?.map((a) => a.typed_config)).toEqual([{ '@type': 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog', path: '/var/log/a.log', log_format: { json_format: { code: '%RESPONSE_CODE%' } } }]);
  });
});

describe('tracing as istiod writes it (sampling precedence, bookinfo-spec §5.13)', () => {
  const zipkin = { name: 'zipkin', zipkin: { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 } };

  it("without Telemetry: enableTracing → Istio's Zipkin, 1 % by default, defaultConfig sampling, the pod's PROXY_CONFIG over it", () => {
    const on = mesh({ enableTracing: true });
    const t = outbound(translate(snap(on), sidecarProxy('productpage')))[0]?.tracing;
    expect(t?.provider?.name).toBe('envoy.tracers.zipkin');
    expect(t?.provider?.typed_config).toMatchObject({ collector_cluster: 'outbound|9411||zipkin.istio-system.svc.cluster.local', collector_endpoint: '/api/v2/spans', collector_endpoint_version: 'HTTP_JSON', trace_id_128bit: true, shared_span_context: { value: false } });
    expect([t?.client_sampling, t?.random_sampling, t?.overall_sampling]).toEqual([{ value: 100 }, { value: 1 }, { value: 100 }]);
    expect(t?.custom_tags?.map((c) => c.tag)).toEqual(['istio.canonical_revision', 'istio.canonical_service', 'istio.cluster_id', 'istio.mesh_id', 'istio.namespace']);
    const meshSampling = mesh({ enableTracing: true, defaultConfig: { tracing: { sampling: 50 } } });
    expect(inbound(translate(snap(meshSampling), sidecarProxy('productpage')))[0]?.tracing?.random_sampling).toEqual({ value: 50 });
    expect(inbound(translate(snap(meshSampling), sidecarProxy('productpage', { proxyConfig: { tracing: { sampling: 10 } } })))[0]?.tracing?.random_sampling).toEqual({ value: 10 });
    expect(hcms(translate(snap(mesh({ enableTracing: false })), sidecarProxy('productpage'))).every((h) => h.tracing === undefined)).toBe(true);
  });

  it('Telemetry randomSamplingPercentage wins over the pod and mesh; the workload over the namespace over the mesh', () => {
    const m = mesh({ enableTracing: true, defaultConfig: { tracing: { sampling: 50 } }, extensionProviders: [zipkin] });
    const t = [tel('mesh-default', 'istio-system', { tracing: [{ providers: [{ name: 'zipkin' }], randomSamplingPercentage: 100 }] }), tel('ns', 'default', { tracing: [{ randomSamplingPercentage: 20 }] }), tel('w', 'default', { selector: { matchLabels: { app: 'reviews' } }, tracing: [{ randomSamplingPercentage: 5, customTags: { env: { literal: { value: 'prod' } } } }] })];
    const pod = { proxyConfig: { tracing: { sampling: 10 } } };
    expect(inbound(translate(snap(m, t.slice(0, 1)), sidecarProxy('productpage', pod)))[0]?.tracing?.random_sampling).toEqual({ value: 100 });
    expect(inbound(translate(snap(m, t.slice(0, 2)), sidecarProxy('productpage', pod)))[0]?.tracing?.random_sampling).toEqual({ value: 20 });
    const reviews = inbound(translate(snap(m, t), sidecarProxy('reviews', pod)))[0]?.tracing;
    expect(reviews?.random_sampling).toEqual({ value: 5 });
    expect(reviews?.custom_tags?.find((c) => c.tag === 'env')).toEqual({ tag: 'env', literal: { value: 'prod' } });
    // Telemetry without a sampling: the pod's, then the mesh's.
    const noPct = [tel('mesh-default', 'istio-system', { tracing: [{ providers: [{ name: 'zipkin' }] }] })];
    expect(inbound(translate(snap(m, noPct), sidecarProxy('productpage', pod)))[0]?.tracing?.random_sampling).toEqual({ value: 10 });
    expect(inbound(translate(snap(m, noPct), sidecarProxy('productpage')))[0]?.tracing?.random_sampling).toEqual({ value: 50 });
  });

  it('disableSpanReporting, an unknown provider and a CLIENT-only match switch tracing off where istiod does', () => {
    const m = mesh({ extensionProviders: [zipkin] });
    const off = [tel('m', 'istio-system', { tracing: [{ providers: [{ name: 'zipkin' }] }] }), tel('w', 'default', { selector: { matchLabels: { app: 'details' } }, tracing: [{ match: { mode: 'SERVER' }, disableSpanReporting: true }] })];
    const details = translate(snap(m, off), sidecarProxy('details'));
    expect(inbound(details)[0]?.tracing).toBeUndefined();
    expect(outbound(details)[0]?.tracing?.provider?.name).toBe('envoy.tracers.zipkin');
    const unknown = [tel('m', 'istio-system', { tracing: [{ providers: [{ name: 'jaeger' }] }] })];
    expect(hcms(translate(snap(m, unknown), sidecarProxy('details'))).every((h) => h.tracing === undefined)).toBe(true);
    const gw = translate({ ...snap(m, off), gateways: [bookinfoGateway], virtualServices: [bookinfoVirtualService] }, GATEWAY_PROXY);
    expect(hcms(gw)[0]?.tracing?.spawn_upstream_span).toEqual({ value: true });
  });

  it("a Telemetry naming no provider, with no defaultProviders.tracing, turns tracing off (istiod's Tracing(): no provider → disabled), even with enableTracing", () => {
    // The cluster's `istio` ConfigMap as `trellis install` writes it (Istio's defaults: enableTracing, no tracing provider).
    const installed = mesh({ enableTracing: true });
    const samplingOnly = [tel('mesh-default', 'istio-system', { accessLogging: [{ providers: [{ name: 'envoy' }] }], tracing: [{ randomSamplingPercentage: 100 }] })];
    const gw = (m: MeshConfig, t: Telemetry[]): XdsResources => translate({ ...snap(m, t), gateways: [bookinfoGateway], virtualServices: [bookinfoVirtualService] }, GATEWAY_PROXY);
    expect(outbound(translate(snap(installed), sidecarProxy('productpage')))[0]?.tracing?.provider?.name).toBe('envoy.tracers.zipkin');
    expect(hcms(translate(snap(installed, samplingOnly), sidecarProxy('productpage'))).every((h) => h.tracing === undefined)).toBe(true);
    expect(hcms(gw(installed, samplingOnly)).every((h) => h.tracing === undefined)).toBe(true);
    // Istio's Zipkin task: `--set meshConfig.extensionProviders[0]…` zipkin, Telemetry `providers: [{name: zipkin}]`.
    const withZipkin = mesh({ enableTracing: true, extensionProviders: [zipkin] });
    const named = [tel('mesh-default', 'istio-system', { tracing: [{ providers: [{ name: 'zipkin' }], randomSamplingPercentage: 100 }] })];
    for (const h of [...hcms(translate(snap(withZipkin, named), sidecarProxy('productpage'))), ...hcms(gw(withZipkin, named))]) {
      expect(h.tracing?.provider?.typed_config).toMatchObject({ collector_cluster: 'outbound|9411||zipkin.istio-system.svc.cluster.local', collector_hostname: 'zipkin.istio-system.svc.cluster.local', collector_endpoint: '/api/v2/spans' });
      expect(h.tracing?.random_sampling).toEqual({ value: 100 });
    }
  });

  it('OpenTelemetry over OTLP/HTTP', () => {
    const otel = { name: 'otel', opentelemetry: { service: 'zipkin.istio-system.svc.cluster.local', port: 4318, http: { path: '/v1/traces', timeout: '5s' } } };
    const t = inbound(translate(snap(mesh({ extensionProviders: [otel], defaultProviders: { tracing: ['otel'] } })), sidecarProxy('ratings')))[0]?.tracing;
    expect(t?.provider).toEqual({ name: 'envoy.tracers.opentelemetry', typed_config: { '@type': 'type.googleapis.com/envoy.config.trace.v3.OpenTelemetryConfig', service_name: 'ratings.default', http_service: { http_uri: { uri: 'zipkin.istio-system.svc.cluster.local/v1/traces', cluster: 'outbound|4318||zipkin.istio-system.svc.cluster.local', timeout: { seconds: 5, nanos: 0 } } } } });
  });

  it('OpenTelemetry over gRPC (no http): no tracing — the proxy speaks OTLP/HTTP only and would NACK grpc_service', () => {
    const otel = { name: 'otel', opentelemetry: { service: 'zipkin.istio-system.svc.cluster.local', port: 4317 } };
    const t = inbound(translate(snap(mesh({ extensionProviders: [otel], defaultProviders: { tracing: ['otel'] } })), sidecarProxy('ratings')))[0]?.tracing;
    expect(t).toBeUndefined();
  });

  it('the memoising translator gives the same output per workload', () => {
    const m = mesh({ extensionProviders: [zipkin] });
    const s = snap(m, [tel('m', 'istio-system', { tracing: [{ providers: [{ name: 'zipkin' }] }] }), tel('w', 'default', { selector: { matchLabels: { app: 'reviews' } }, tracing: [{ randomSamplingPercentage: 7 }] })]);
    const tr = createTranslator();
    for (const d of ['productpage', 'reviews']) expect(tr(s, sidecarProxy(d))).toEqual(translate(s, sidecarProxy(d)));
  });
});

describe('Telemetry metrics overrides → istio.stats overrides', () => {
  it('drops, tag removal and upserts per mode; ALL_METRICS disabled drops everything', () => {
    const spec: TelemetrySpec = { metrics: [{ providers: [{ name: 'prometheus' }], overrides: [{ match: { metric: 'REQUEST_COUNT', mode: 'CLIENT' }, tagOverrides: { request_protocol: { operation: 'REMOVE' }, host: { value: 'request.host' } } }, { match: { metric: 'REQUEST_DURATION' }, disabled: true }] }] };
    const ctx = buildContext(snap(mesh(), [tel('m', 'istio-system', spec)]), sidecarProxy('reviews'));
    expect(telemetryMetricOverrides(ctx, 'CLIENT')).toEqual([{ name: 'request_duration_milliseconds', drop: true }, { name: 'requests_total', tags_to_remove: ['request_protocol'], dimensions: { host: 'request.host' } }]);
    expect(telemetryMetricOverrides(ctx, 'SERVER')).toEqual([{ name: 'request_duration_milliseconds', drop: true }]);
    const all = buildContext(snap(mesh(), [tel('m', 'default', { metrics: [{ overrides: [{ match: { metric: 'ALL_METRICS', mode: 'SERVER' }, disabled: true }] }] })]), sidecarProxy('reviews'));
    expect(telemetryMetricOverrides(all, 'SERVER')).toEqual([{ drop: true }]);
    expect(telemetryMetricOverrides(all, 'CLIENT')).toEqual([]);
  });

  it('reach the listeners: overrides on each side\'s istio.stats; ALL_METRICS disabled removes the filter there', () => {
    const statsOf = (h: HttpConnectionManager | undefined): unknown => h?.http_filters?.find((f) => f.name === 'istio.stats')?.typed_config;
    const spec: TelemetrySpec = { metrics: [{ overrides: [{ match: { metric: 'REQUEST_COUNT', mode: 'CLIENT' }, tagOverrides: { request_protocol: { operation: 'REMOVE' } } }] }] };
    const r = translate(snap(mesh(), [tel('m', 'istio-system', spec)]), sidecarProxy('reviews'));
    expect(statsOf(outbound(r)[0])).toMatchObject({ metrics: [{ name: 'requests_total', tags_to_remove: ['request_protocol'] }] });
    expect((statsOf(inbound(r)[0]) as { metrics?: unknown }).metrics).toBeUndefined();
    const off = translate(snap(mesh(), [tel('m', 'istio-system', { metrics: [{ overrides: [{ match: { metric: 'ALL_METRICS' }, disabled: true }] }] })]), sidecarProxy('reviews'));
    expect([...inbound(off), ...outbound(off)].every((h) => statsOf(h) === undefined)).toBe(true);
    expect(statsOf(outbound(translate(snap(mesh()), sidecarProxy('reviews')))[0])).toBeDefined();
  });
});
