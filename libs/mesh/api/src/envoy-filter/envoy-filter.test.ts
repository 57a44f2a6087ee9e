import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseYamlDocuments, validateConfig } from '../index';

const ROOT = resolve(__dirname, '../../../../..');

const filter = (patches: unknown[], extra: Record<string, unknown> = {}): unknown => ({
  apiVersion: 'networking.istio.io/v1alpha3',
  kind: 'EnvoyFilter',
  metadata: { name: 'f', namespace: 'istio-system' },
  spec: { workloadSelector: { labels: { app: 'productpage' } }, configPatches: patches, ...extra },
});

const localRateLimit = (value: Record<string, unknown>): unknown => ({
  applyTo: 'HTTP_FILTER',
  match: { context: 'SIDECAR_INBOUND', listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } } },
  patch: {
    operation: 'INSERT_BEFORE',
    value: {
      name: 'envoy.filters.http.local_ratelimit',
      typed_config: { '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct', type_url: 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit', value },
    },
  },
});

const problems = (o: unknown): string[] => validateConfig([o]).errors.map((e) => `${e.path}: ${e.message}`);

describe('EnvoyFilter validation', () => {
  it("accepts Istio's Bookinfo global rate limit filters (samples/bookinfo/policy/productpage_envoy_ratelimit.yaml)", () => {
    const { objects } = parseYamlDocuments(readFileSync(resolve(ROOT, 'samples/bookinfo/policy/productpage_envoy_ratelimit.yaml'), 'utf8'), 'productpage_envoy_ratelimit.yaml');
    const { valid, errors } = validateConfig(objects);
    expect(errors).toEqual([]);
    expect(valid.map((o) => o.metadata.name)).toEqual(['filter-ratelimit', 'filter-ratelimit-svc']);
  });

  it("accepts Istio's local rate limit by path with descriptors (samples/ratelimit/local-rate-limit-service.yaml)", () => {
    const { objects } = parseYamlDocuments(readFileSync(resolve(ROOT, 'samples/ratelimit/local-rate-limit-service.yaml'), 'utf8'), 'local-rate-limit-service.yaml');
    const { valid, errors } = validateConfig(objects);
    expect(errors).toEqual([]);
    expect(valid.map((o) => o.metadata.name)).toEqual(['filter-local-ratelimit-svc']);
  });

  it("accepts the local rate limit task's TypedStruct filter, in snake_case and lowerCamelCase", () => {
    const bucket = { max_tokens: 10, tokens_per_fill: 10, fill_interval: '60s' };
    expect(problems(filter([localRateLimit({ stat_prefix: 'http_local_rate_limiter', token_bucket: bucket })]))).toEqual([]);
    expect(problems(filter([localRateLimit({ statPrefix: 'x', tokenBucket: { maxTokens: 10, tokensPerFill: 10, fillInterval: '60s' } })]))).toEqual([]);
  });

  it('rejects patch kinds Trellis does not apply, naming the patch index and the supported ones', () => {
    const got = problems(filter([localRateLimit({ stat_prefix: 'x' }), { applyTo: 'LISTENER', patch: { operation: 'ADD', value: {} } }]));
    expect(got).toEqual([expect.stringMatching(/^spec\.configPatches\[1\]\.applyTo: applyTo LISTENER is not applied by Trellis \(supported: HTTP_FILTER INSERT_BEFORE\|.*CLUSTER ADD; VIRTUAL_HOST MERGE; HTTP_ROUTE MERGE\)$/)]);
    expect(problems(filter([{ applyTo: 'CLUSTER', patch: { operation: 'MERGE', value: {} } }]))).toEqual([expect.stringMatching(/^spec\.configPatches\[0\]\.patch\.operation: CLUSTER MERGE is not applied by Trellis/)]);
    expect(problems(filter([{ applyTo: 'HTTP_FILTER', patch: { operation: 'ADD' } }]))).toEqual(['spec.configPatches[0].patch.value: Envoy filter: missing patch value for non-remove operation']);
  });

  it('rejects a filter config it cannot push: an unknown @type, an unsupported field, a bad duration', () => {
    const lua = { applyTo: 'HTTP_FILTER', patch: { operation: 'INSERT_FIRST', value: { name: 'lua', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua' } } } };
    expect(problems(filter([lua]))[0]).toMatch(/^spec\.configPatches\[0\]\.patch\.value\.typed_config\.@type: type\.googleapis\.com\/envoy\.extensions\.filters\.http\.lua\.v3\.Lua is not supported/);
    expect(problems(filter([localRateLimit({ stat_prefix: 'x', always_consume_default_token_bucket: false })]))).toEqual([
      expect.stringMatching(/^spec\.configPatches\[0\]\.patch\.value\.typed_config\.value\.always_consume_default_token_bucket: unknown or unsupported field \(Trellis applies stat_prefix, status, token_bucket, descriptors/),
    ]);
    expect(problems(filter([localRateLimit({ stat_prefix: 'x', vh_rate_limits: 'INCLUDE' })]))[0]).toMatch(/^spec\.configPatches\[0\]\.patch\.value\.typed_config\.value\.vh_rate_limits: .*OVERRIDE/);
    expect(problems(filter([localRateLimit({ stat_prefix: 'x', descriptors: [{ entries: [{ key: 'header_match' }], token_bucket: { max_tokens: 1, fill_interval: '60s' } }] })]))[0]).toMatch(
      /^spec\.configPatches\[0\]\.patch\.value\.typed_config\.value\.descriptors\[0\]\.entries\[0\]\.value: /,
    );
    expect(problems(filter([localRateLimit({ stat_prefix: 'x', token_bucket: { max_tokens: 1, fill_interval: '1m' } })]))).toEqual([
      'spec.configPatches[0].patch.value.typed_config.value.token_bucket.fill_interval: must be a duration in seconds like "10s" or "0.5s" (got "1m")',
    ]);
  });

  it('rejects a route action it does not know and both workloadSelector and targetRefs', () => {
    const vh = { applyTo: 'VIRTUAL_HOST', patch: { operation: 'MERGE', value: { rate_limits: [{ actions: [{ query_parameters: {} }] }] } } };
    expect(problems(filter([vh]))[0]).toMatch(/^spec\.configPatches\[0\]\.patch\.value\.rate_limits\[0\]\.actions\[0\]\.query_parameters: unknown or unsupported field/);
    expect(problems(filter([], { targetRefs: [{ kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'gw' }] }))).toEqual(['spec: only one of targetRefs or workloadSelector can be set']);
  });
});
