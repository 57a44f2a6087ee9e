import { KIND_INFO, resolveKind } from '../schema/kinds';
import { configKindOf } from '../schema/config-kind';
import { validateConfig } from '../validation/validate';
import { collectConfigs } from '../analysis/analysis-input';
import { generateCrds } from '../crd/generate';

const gateway = (spec: Record<string, unknown>, apiVersion = 'gateway.networking.k8s.io/v1'): Record<string, unknown> => ({
  apiVersion,
  kind: 'Gateway',
  metadata: { name: 'bookinfo-gateway' },
  spec: { gatewayClassName: 'istio', ...spec },
});
const route = (spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'bookinfo' },
  spec,
});
const http = { name: 'http', port: 80, protocol: 'HTTP' };
const problems = (o: unknown): string[] => validateConfig([o]).errors.map((e) => `${e.path}: ${e.message}`);

describe('Gateway API kinds', () => {
  it('tells the Gateway API Gateway from Istio Gateway by group, and keeps both in one request', () => {
    expect(configKindOf({ apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'Gateway' })).toBe('KubernetesGateway');
    expect(configKindOf({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway' })).toBe('Gateway');
    expect(resolveKind('gtw')?.kind).toBe('KubernetesGateway');
    expect(resolveKind('gateways.gateway.networking.k8s.io')?.kind).toBe('KubernetesGateway');
    expect(resolveKind('gateways')?.kind).toBe('Gateway');
    expect(resolveKind('KubernetesGateway')?.kind).toBe('KubernetesGateway');
    const istio = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'bookinfo-gateway' }, spec: { servers: [] } };
    const { valid, errors } = validateConfig([gateway({ listeners: [http] }), istio]);
    expect(errors).toEqual([]);
    expect(collectConfigs(valid).gateways.map((g) => g.apiVersion)).toEqual(['networking.istio.io/v1']);
  });

  it('accepts the samples shapes (v1 and v1beta1) and rejects unknown fields naming them', () => {
    expect(problems(gateway({ listeners: [{ ...http, allowedRoutes: { namespaces: { from: 'Same' } } }] }, 'gateway.networking.k8s.io/v1beta1'))).toEqual([]);
    expect(problems(gateway({ listeners: [{ ...http, bogus: 1 }] }))).toEqual(['spec.listeners[0].bogus: unknown field']);
    expect(problems(gateway({ listeners: [] }))[0]).toMatch(/^spec.listeners: /);
    expect(problems(gateway({ listeners: [http] }, 'gateway.networking.k8s.io/v1alpha9'))[0]).toMatch(/^apiVersion: no kind "Gateway" is registered/);
  });

  it('runs the Gateway CEL rules the 1.20 API server cannot', () => {
    expect(problems(gateway({ listeners: [http, { ...http }] }))).toEqual([
      'spec.listeners[1].name: Listener name must be unique within the Gateway',
      'spec.listeners[1]: Combination of port, protocol and hostname must be unique for each listener',
    ]);
    expect(problems(gateway({ listeners: [{ ...http, tls: { certificateRefs: [{ name: 'c' }] } }] }))).toEqual([
      "spec.listeners[0].tls: tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
    ]);
    expect(problems(gateway({ listeners: [{ name: 'tcp', port: 31400, protocol: 'TCP', hostname: 'a.example.com' }] }))).toEqual([
      "spec.listeners[0].hostname: hostname must not be specified for protocols ['TCP', 'UDP']",
    ]);
  });

  it('runs the HTTPRoute CEL rules with upstream messages', () => {
    const backend = { name: 'productpage' };
    expect(problems(route({ rules: [{ backendRefs: [backend] }] }))).toEqual(['spec.rules[0].backendRefs[0]: Must have port for Service reference']);
    expect(problems(route({ rules: [{ matches: [{ path: { type: 'PathPrefix', value: 'static' } }] }] }))).toEqual([
      "spec.rules[0].matches[0].path.value: value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
    ]);
    expect(problems(route({ rules: [{ filters: [{ type: 'RequestHeaderModifier' }] }] }))).toEqual([
      'spec.rules[0].filters[0]: filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type',
    ]);
    expect(problems(route({ rules: [{ timeouts: { request: '1s', backendRequest: '2s' } }] }))).toEqual([
      'spec.rules[0].timeouts: backendRequest timeout cannot be longer than request timeout',
    ]);
    const redirect = { type: 'RequestRedirect', requestRedirect: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/x' } } };
    expect(problems(route({ rules: [{ filters: [redirect], backendRefs: [{ ...backend, port: 9080 }] }] }))).toEqual([
      'spec.rules[0]: RequestRedirect filter must not be used together with backendRefs',
      'spec.rules[0]: When using RequestRedirect filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
    ]);
    expect(problems(route({ parentRefs: [{ name: 'gw' }, { name: 'gw' }] }))).toEqual([
      'spec.parentRefs[1]: sectionName or port must be specified when parentRefs includes 2 or more references to the same parent',
    ]);
  });

  it('generates no CRD for the Gateway API kinds (upstream owns them)', () => {
    expect(generateCrds().map((c) => c.spec.group)).not.toContain('gateway.networking.k8s.io');
    expect(KIND_INFO.KubernetesGateway.manifestKind).toBe('Gateway');
  });
});
