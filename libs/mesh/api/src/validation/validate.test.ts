import { validateConfig, formatValidationError } from '../index';

const vs = (http: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: { hosts: ['reviews'], http },
  ...extra,
});

const route = (weight: unknown): unknown => ({ destination: { host: 'reviews', subset: 'v1' }, weight });

describe('validateConfig', () => {
  it('accepts a valid object and fills the default namespace', () => {
    const obj = vs([{ route: [route(50), route(50)] }]);
    delete (obj['metadata'] as Record<string, unknown>)['namespace'];
    const { valid, errors } = validateConfig([obj], { namespace: 'bookinfo' });
    expect(errors).toEqual([]);
    expect(valid).toHaveLength(1);
    expect(valid[0]!.metadata.namespace).toBe('bookinfo');
    expect(obj['metadata']).not.toHaveProperty('namespace');
  });

  it('accepts every served apiVersion', () => {
    for (const v of ['v1alpha3', 'v1beta1', 'v1']) {
      expect(validateConfig([vs([], { apiVersion: `networking.istio.io/${v}` })]).errors).toEqual([]);
    }
    const pa = { apiVersion: 'security.istio.io/v1beta1', kind: 'PeerAuthentication', metadata: { name: 'default' }, spec: { mtls: { mode: 'STRICT' } } };
    expect(validateConfig([pa]).errors).toEqual([]);
  });

  it('names kind, namespace/name and field path of a string weight', () => {
    const { valid, errors } = validateConfig([vs([{ route: [route(50), route('50')] }])]);
    expect(valid).toEqual([]);
    expect(errors).toEqual([
      {
        kind: 'VirtualService',
        namespace: 'default',
        name: 'reviews',
        path: 'spec.http[0].route[1].weight',
        message: 'must be integer, got string "50"',
        index: 0,
      },
    ]);
    expect(formatValidationError(errors[0]!)).toBe(
      'VirtualService default/reviews: spec.http[0].route[1].weight: must be integer, got string "50"',
    );
  });

  it('reports unknown enum values, missing required fields and unknown fields, all at once', () => {
    const dr = {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews' },
      spec: { trafficPolicy: { loadBalancer: { simple: 'FASTEST' } }, subsets: [{ labels: { version: 'v1' } }], hostt: 'x' },
    };
    const { errors } = validateConfig([dr]);
    const byPath = Object.fromEntries(errors.map((e) => [e.path, e.message]));
    expect(byPath['spec.trafficPolicy.loadBalancer.simple']).toMatch(/^unsupported value "FASTEST"; must be one of .*ROUND_ROBIN/);
    expect(byPath['spec.host']).toBe('required field is missing');
    expect(byPath['spec.subsets[0].name']).toBe('required field is missing');
    expect(byPath['spec.hostt']).toBe('unknown field');
    expect(errors).toHaveLength(4);
  });

  it('rejects unknown kinds and unknown apiVersions', () => {
    const { errors } = validateConfig([
      { apiVersion: 'networking.istio.io/v1', kind: 'EnvoyFilterX', metadata: { name: 'a' }, spec: {} },
      { apiVersion: 'networking.istio.io/v2', kind: 'Gateway', metadata: { name: 'gw' }, spec: {} },
      { apiVersion: 'security.istio.io/v1alpha3', kind: 'AuthorizationPolicy', metadata: { name: 'ap' }, spec: {} },
    ]);
    expect(errors.map((e) => [e.index, e.path, e.message])).toEqual([
      [0, 'kind', 'unknown kind "EnvoyFilterX"'],
      [1, 'apiVersion', expect.stringContaining('no kind "Gateway" is registered for version "networking.istio.io/v2"')],
      [2, 'apiVersion', expect.stringContaining('security.istio.io/v1beta1, security.istio.io/v1')],
    ]);
  });

  it('validates metadata.name and metadata.namespace', () => {
    const { errors } = validateConfig([
      vs([], { metadata: { name: 'Reviews_V1', namespace: 'default' } }),
      vs([], { metadata: { namespace: 'default' } }),
      vs([], { metadata: { name: 'ok', namespace: 'Not.Valid' } }),
    ]);
    expect(errors.map((e) => [e.index, e.path])).toEqual([
      [0, 'metadata.name'],
      [1, 'metadata.name'],
      [2, 'metadata.namespace'],
    ]);
    expect(errors[0]!.message).toMatch(/^invalid name "Reviews_V1": a lowercase RFC 1123 subdomain/);
    expect(errors[1]!.message).toBe('required field is missing');
  });

  it('validates duration strings', () => {
    for (const d of ['7s', '0.5s', '100ms', '1m', '1h', '1h30m']) {
      expect(validateConfig([vs([{ timeout: d, route: [route(100)] }])]).errors).toEqual([]);
    }
    for (const d of ['7', 's', '1.s', '10 s', '-1s']) {
      const { errors } = validateConfig([vs([{ timeout: d, route: [route(100)] }])]);
      expect(errors.map((e) => e.path)).toEqual(['spec.http[0].timeout']);
      expect(errors[0]!.message).toContain('invalid duration');
    }
  });

  it('reports non-objects, missing spec and duplicates in one request', () => {
    const { errors } = validateConfig(['nope', vs([], { spec: undefined }), vs([]), vs([])]);
    expect(errors.map((e) => [e.index, e.path, e.message])).toEqual([
      [0, '', 'must be an object'],
      [1, 'spec', 'required field is missing'],
      [3, 'metadata.name', 'duplicate object in the same request'],
    ]);
  });

  it('rejects out-of-range ports and weights', () => {
    const gw = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gw' },
      spec: { servers: [{ port: { number: 70000, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
    };
    expect(validateConfig([gw]).errors.map((e) => e.path)).toEqual(['spec.servers[0].port.number']);
    expect(validateConfig([vs([{ route: [route(101)] }])]).errors.map((e) => e.path)).toEqual(['spec.http[0].route[0].weight']);
  });

  it('quotes map keys that are not identifiers in paths', () => {
    const { errors } = validateConfig([vs([{ match: [{ headers: { 'x-user.id': { exakt: 'a' } } }], route: [route(100)] }])]);
    expect(errors.map((e) => e.path)).toEqual(['spec.http[0].match[0].headers["x-user.id"].exakt']);
  });
});
