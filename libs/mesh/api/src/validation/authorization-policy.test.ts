import { validateConfig } from './validate';

/** Istio's ValidateAuthorizationPolicy at apply: rejected objects name the field and never come back as valid. */
function check(spec: Record<string, unknown>, annotations?: Record<string, string>): { path: string; message: string }[] {
  const { valid, errors } = validateConfig([
    { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'foo', ...(annotations && { annotations }) }, spec },
  ]);
  expect(valid.length).toBe(errors.length === 0 ? 1 : 0);
  return errors.map((e) => ({ path: e.path, message: e.message }));
}

const rule = (r: Record<string, unknown>): Record<string, unknown> => ({ rules: [r] });

describe('AuthorizationPolicy validation (Istio webhook)', () => {
  it('accepts Istio examples: empty spec (deny all), allow-all rule, full HTTP rule, dry-run', () => {
    expect(check({})).toEqual([]);
    expect(check(rule({}))).toEqual([]);
    expect(
      check(
        rule({
          from: [{ source: { principals: ['cluster.local/ns/default/sa/sleep'], ipBlocks: ['10.0.0.0/8', '1.2.3.4'], requestPrincipals: ['*'] } }],
          to: [{ operation: { methods: ['GET'], paths: ['/info*', '*/x', '/api/{*}/v1'], ports: ['8080'] } }],
          when: [{ key: 'request.auth.claims[groups]', values: ['admin'] }, { key: 'destination.port', values: ['0', '65535'] }],
        }),
        { 'istio.io/dry-run': 'true' },
      ),
    ).toEqual([]);
  });

  it.each([
    [{ from: [{ source: { ipBlocks: ['10.0.0.0/33'] } }] }, 'spec.rules[0].from[0].source.ipBlocks', 'bad CIDR range (10.0.0.0/33)'],
    [{ from: [{ source: { notIpBlocks: ['1.2.3'] } }] }, 'spec.rules[0].from[0].source.notIpBlocks', 'bad IP address (1.2.3)'],
    [{ from: [{ source: { remoteIpBlocks: ['x/8'] } }] }, 'spec.rules[0].from[0].source.remoteIpBlocks', 'bad CIDR range (x/8)'],
    [{ from: [{ source: { notRemoteIpBlocks: ['256.0.0.1'] } }] }, 'spec.rules[0].from[0].source.notRemoteIpBlocks', 'bad IP address (256.0.0.1)'],
    [{ when: [{ key: 'source.ip', values: ['nope'] }] }, 'spec.rules[0].when[0].values', 'invalid `value` for `key` source.ip: bad IP address (nope)'],
    [{ when: [{ key: 'remote.ip', notValues: ['1.1.1.1/40'] }] }, 'spec.rules[0].when[0].notValues', 'invalid `notValue` for `key` remote.ip: bad CIDR range (1.1.1.1/40)'],
    [{ when: [{ key: 'destination.ip', values: ['::g'] }] }, 'spec.rules[0].when[0].values', 'invalid `value` for `key` destination.ip: bad IP address (::g)'],
    [{ when: [{ key: 'destination.port', values: ['65536'] }] }, 'spec.rules[0].when[0].values', 'invalid `value` for `key` destination.port: bad port (65536)'],
    [{ to: [{ operation: { ports: ['http'] } }] }, 'spec.rules[0].to[0].operation.ports', 'bad port (http)'],
    [{ to: [{ operation: { notPorts: ['70000'] } }] }, 'spec.rules[0].to[0].operation.notPorts', 'bad port (70000)'],
    [{ to: [{ operation: { methods: [''] } }] }, 'spec.rules[0].to[0].operation.methods', 'empty value not allowed, found in Methods'],
    [{ to: [{ operation: { paths: ['/a/{**}/{*}'] } }] }, 'spec.rules[0].to[0].operation.paths', 'invalid or unsupported path a/{**}/{*}, found in Paths. {**} is not the last operator'],
    [{ to: [{ operation: { notPaths: ['/a{b}'] } }] }, 'spec.rules[0].to[0].operation.notPaths', "invalid or unsupported path a{b}, found in NotPaths. Contains '{' or '}' beyond a supported path template"],
    [{ when: [{ key: 'request.foo', values: ['x'] }] }, 'spec.rules[0].when[0].values', 'invalid `value` for `key` request.foo: unknown attribute: request.foo'],
    [{ when: [{ key: 'request.headers', values: ['x'] }] }, 'spec.rules[0].when[0].values', 'invalid `value` for `key` request.headers: bad key (request.headers): should have format a[b]'],
    [{ when: [{ key: 'destination.labels[app]', values: ['x'] }] }, 'spec.rules[0].when[0].values', 'invalid `value` for `key` destination.labels[app]: attribute destination.labels[app] is replaced by the workload selector'],
    [{ when: [{ key: 'source.namespace' }] }, 'spec.rules[0].when[0]', 'at least one of `values` or `notValues` must be set for key source.namespace'],
    [{ from: [{ source: {} }] }, 'spec.rules[0].from[0].source', '`from.source` must not be empty, found at rule 0'],
    [{ to: [{ operation: {} }] }, 'spec.rules[0].to[0].operation', '`to.operation` must not be empty, found at rule 0'],
    [{ from: [{ source: { namespaces: ['a'], serviceAccounts: ['b'] } }] }, 'spec.rules[0].from[0].source', 'cannot set serviceAccounts with namespaces or principals, found at rule 0'],
    [{ from: [{ source: { serviceAccounts: ['a/b/c'] } }] }, 'spec.rules[0].from[0].source.serviceAccounts', `expected format 'serviceAccount' or 'namespace/serviceAccount', found "a/b/c" in ServiceAccounts`],
    [{ from: [{ source: { notServiceAccounts: ['ns/*'] } }] }, 'spec.rules[0].from[0].source.notServiceAccounts', 'wildcard not allowed, found in NotServiceAccounts'],
    [{ from: [{ source: { principals: [''] } }] }, 'spec.rules[0].from[0].source.principals', 'empty value not allowed, found in Principals'],
    [{ when: [{ key: 'source.trustDomain', values: ['a*b'] }] }, 'spec.rules[0].when[0].values', 'invalid `value` for `key` source.trustDomain: wildcard is only allowed at the start or end, found in source.trustDomain: "a*b"'],
  ])('rule %j → %s: %s', (r, path, message) => {
    expect(check(rule(r))).toContainEqual({ path, message });
  });

  it('provider only with CUSTOM; CUSTOM needs rules and a provider name; DENY needs rules', () => {
    expect(check({ action: 'ALLOW', provider: { name: 'x' }, rules: [{}] })).toEqual([{ path: 'spec.provider', message: '`provider` must not be with non CUSTOM action, found ALLOW' }]);
    expect(check({ action: 'CUSTOM', rules: [{}] })).toEqual([{ path: 'spec.provider.name', message: '`provider.name` must not be empty' }]);
    expect(check({ action: 'CUSTOM', provider: { name: 'x' } })[0]?.path).toBe('spec.rules');
    expect(check({ action: 'DENY' })[0]?.message).toMatch(/^DENY action without `rules` is meaningless/);
    expect(check({ action: 'CUSTOM', provider: { name: 'x' }, rules: [{ from: [{ source: { principals: ['a'] } }], when: [{ key: 'request.auth.claims[x]', values: ['y'] }] }] })).toEqual([
      { path: 'spec.rules[0].from[0].source.principals', message: 'From.Principals is currently not supported with CUSTOM action' },
      { path: 'spec.rules[0].when[0].key', message: 'request.auth.claims[x] is currently not supported with CUSTOM action' },
    ]);
  });

  it('selector and targetRef(s) are exclusive; targetRefs name a supported kind in the same namespace', () => {
    const gw = { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'gw' };
    expect(check({ selector: { matchLabels: { app: 'a' } }, targetRefs: [gw] })).toEqual([{ path: 'spec', message: 'only one of targetRefs or workloadSelector can be set' }]);
    expect(check({ targetRefs: [gw] })).toEqual([]);
    expect(check({ targetRef: { kind: 'Service', name: 'reviews' } })).toEqual([]);
    expect(check({ targetRef: { ...gw, namespace: 'other' } })).toEqual([{ path: 'spec.targetRef', message: 'targetRef namespace must not be set; cross namespace referencing is not supported' }]);
    expect(check({ targetRefs: [{ kind: 'Deployment', name: 'x' }] })[0]?.message).toMatch(/^targetRef must be to one of \[.*\] but was \/Deployment$/);
  });
});
