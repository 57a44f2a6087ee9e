import { validateConfig } from './validate';

const tel = (spec: unknown, apiVersion = 'telemetry.istio.io/v1'): unknown => ({ apiVersion, kind: 'Telemetry', metadata: { name: 'mesh-default', namespace: 'istio-system' }, spec });
const problems = (spec: unknown, apiVersion?: string): { path: string; message: string }[] =>
  validateConfig([tel(spec, apiVersion)]).errors.map((e) => ({ path: e.path, message: e.message }));

describe('Telemetry validation (Istio ValidateTelemetry)', () => {
  it("accepts Istio's task resources, v1 and v1alpha1", () => {
    expect(problems({ accessLogging: [{ providers: [{ name: 'envoy' }] }] })).toEqual([]);
    expect(problems({ accessLogging: [{ providers: [{ name: 'envoy' }], filter: { expression: "response.code >= 400 || request.headers['x-debug'] == 'on'" } }] }, 'telemetry.istio.io/v1alpha1')).toEqual([]);
    expect(problems({ tracing: [{ providers: [{ name: 'zipkin' }], randomSamplingPercentage: 100, customTags: { env: { literal: { value: 'prod' } }, ua: { header: { name: 'user-agent', defaultValue: '-' } } } }] })).toEqual([]);
    expect(problems({ selector: { matchLabels: { app: 'reviews' } }, metrics: [{ providers: [{ name: 'prometheus' }], overrides: [{ match: { metric: 'REQUEST_COUNT', mode: 'CLIENT' }, tagOverrides: { request_protocol: { operation: 'REMOVE' }, x: { value: 'request.host' } } }, { match: { metric: 'ALL_METRICS' }, disabled: true }] }] })).toEqual([]);
  });

  it('rejects the wrong group version and unknown fields, naming the field', () => {
    expect(problems({}, 'telemetry.istio.io/v1beta2')[0]?.path).toBe('apiVersion');
    expect(problems({ accessLogging: [{ provider: 'envoy' }] })[0]?.path).toBe('spec.accessLogging[0].provider');
    expect(problems({ metrics: [{ overrides: [{ match: { metric: 'REQUESTS' } }] }] })[0]?.path).toBe('spec.metrics[0].overrides[0].match.metric');
    expect(problems({ accessLogging: [{ match: { mode: 'BOTH' } }] })[0]?.path).toBe('spec.accessLogging[0].match.mode');
  });

  it('empty provider names, sampling range, empty tags, tag overrides', () => {
    expect(problems({ accessLogging: [{ providers: [{ name: '' }] }] })).toEqual([{ path: 'spec.accessLogging[0].providers[0].name', message: 'providers.name may not be empty' }]);
    expect(problems({ tracing: [{ randomSamplingPercentage: 101 }] })[0]?.path).toBe('spec.tracing[0].randomSamplingPercentage');
    expect(problems({ tracing: [{ customTags: { a: { literal: { value: '' } }, b: { header: { name: '' } } } }] })).toEqual([
      { path: 'spec.tracing[0].customTags.a.literal.value', message: 'literal tag value may not be empty' },
      { path: 'spec.tracing[0].customTags.b.header.name', message: 'header tag name may not be empty' },
    ]);
    expect(problems({ metrics: [{ overrides: [{ tagOverrides: { a: { operation: 'UPSERT' }, b: { operation: 'REMOVE', value: 'x' } }, match: { customMetric: '' } }] }] })).toEqual([
      { path: 'spec.metrics[0].overrides[0].tagOverrides.a.value', message: 'tagOverrides.value must be set when operation is UPSERT' },
      { path: 'spec.metrics[0].overrides[0].tagOverrides.b.value', message: 'tagOverrides.value may only be set when operation is UPSERT' },
      { path: 'spec.metrics[0].overrides[0].match.customMetric', message: 'customMetric may not be empty' },
    ]);
  });

  it('the filter must be a CEL expression; selector xor targetRefs', () => {
    expect(problems({ accessLogging: [{ filter: { expression: "response.code >= 400 && (request.headers['x'] == 'y'" } }] })).toEqual([
      { path: 'spec.accessLogging[0].filter.expression', message: expect.stringMatching(/^must be a valid CEL expression, .*missing '\)'/) },
    ]);
    expect(problems({ accessLogging: [{ filter: { expression: "request.headers['x] == 1" } }] })[0]?.message).toMatch(/unterminated string/);
    expect(problems({ selector: { matchLabels: { app: 'a' } }, targetRefs: [{ kind: 'Service', name: 'a' }] })).toEqual([{ path: 'spec', message: 'only one of targetRefs or workloadSelector can be set' }]);
  });

  it('an unknown provider name is no apply-time error (istiod skips it; analyze reports it)', () => {
    expect(problems({ accessLogging: [{ providers: [{ name: 'nope' }] }] })).toEqual([]);
  });
});
