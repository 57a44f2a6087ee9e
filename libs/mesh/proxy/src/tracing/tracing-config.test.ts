import { OPENTELEMETRY_TRACER_NAME, OPENTELEMETRY_TRACER_TYPE, ZIPKIN_TRACER_NAME, ZIPKIN_TRACER_TYPE } from '@trellis/mesh-envoy';
import type { HttpConnectionManager } from '../config/envoy-types';
import type { CollectorTarget } from './reporter';
import { compileTracing } from './tracing-config';
import { DISCARD_SPANS } from './tracer-registry';

type Tracing = NonNullable<HttpConnectionManager['tracing']>;
const zipkin = (extra: Record<string, unknown> = {}): Tracing => ({
  provider: { name: ZIPKIN_TRACER_NAME, typed_config: { '@type': ZIPKIN_TRACER_TYPE, collector_cluster: 'zipkin', collector_endpoint: '/api/v2/spans', ...extra } },
});

describe('HttpConnectionManager.tracing compiled', () => {
  it('no tracing or no provider: undefined (no spans, no cost)', () => {
    expect(compileTracing('l', undefined, DISCARD_SPANS)).toBeUndefined();
    expect(compileTracing('l', { random_sampling: { value: 1 } }, DISCARD_SPANS)).toBeUndefined();
  });

  it('Zipkin: rates in 1/10000 with Envoy defaults of 100 %, collector target, 128-bit ids', () => {
    const targets: CollectorTarget[] = [];
    const t = compileTracing('l', { ...zipkin({ trace_id_128bit: true, collector_hostname: 'zipkin.istio-system:9411' }), random_sampling: { value: 1 }, max_path_tag_length: { value: 64 } }, (target) => {
      targets.push(target);
      return { report: () => undefined };
    });
    expect(t).toMatchObject({ driver: 'zipkin', w3cFirst: false, traceId128: true, rates: { client: 10000, random: 100, overall: 10000 }, maxPathTagLength: 64 });
    expect(targets).toEqual([{ driver: 'zipkin', cluster: 'zipkin', path: '/api/v2/spans', host: 'zipkin.istio-system:9411', timeoutMs: 5000 }]);
  });

  it('OpenTelemetry over http_service: OTLP/HTTP path, host and timeout from http_uri', () => {
    const targets: CollectorTarget[] = [];
    const t = compileTracing('l', {
      provider: { name: OPENTELEMETRY_TRACER_NAME, typed_config: { '@type': OPENTELEMETRY_TRACER_TYPE, service_name: 'reviews.default', http_service: { http_uri: { uri: 'http://otel.istio-system:4318/v1/traces', cluster: 'otel', timeout: { seconds: 2, nanos: 0 } } } } },
    }, (target) => {
      targets.push(target);
      return { report: () => undefined };
    });
    expect(t).toMatchObject({ driver: 'opentelemetry', w3cFirst: true, traceId128: true });
    expect(targets[0]).toEqual({ driver: 'opentelemetry', cluster: 'otel', path: '/v1/traces', host: 'otel.istio-system:4318', timeoutMs: 2000, serviceName: 'reviews.default' });
  });

  it.each<[string, Tracing, string]>([
    ['unknown provider', { provider: { name: 'envoy.tracers.datadog', typed_config: { '@type': 'type.googleapis.com/envoy.config.trace.v3.DatadogConfig' } as never } }, 'tracing.provider envoy.tracers.datadog'],
    ['no collector cluster', zipkin({ collector_cluster: '' }), 'collector_cluster is required'],
    ['protobuf collector', zipkin({ collector_endpoint_version: 'HTTP_PROTO' }), 'collector_endpoint_version HTTP_PROTO is not supported'],
    ['sampling out of range', { ...zipkin(), random_sampling: { value: 101 } }, 'tracing.random_sampling 101 out of range'],
    ['OTLP/gRPC', { provider: { name: OPENTELEMETRY_TRACER_NAME, typed_config: { '@type': OPENTELEMETRY_TRACER_TYPE, grpc_service: { envoy_grpc: { cluster_name: 'otel' } } } } }, 'grpc_service (OTLP/gRPC) is not supported'],
    ['custom tag without name', { ...zipkin(), custom_tags: [{ literal: { value: 'x' } }] }, 'tracing.custom_tags[0] without tag'],
  ])('NACKs %s naming the field', (_name, tracing, reason) => {
    expect(() => compileTracing('listener 0.0.0.0_9080', tracing, DISCARD_SPANS)).toThrow(expect.objectContaining({ code: 'XDS_INVALID', message: expect.stringContaining(reason) }));
  });
});
