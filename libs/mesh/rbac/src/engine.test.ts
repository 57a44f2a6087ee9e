import type { Permission, Principal, RbacRules } from '@trellis/mesh-envoy';
import { compileRbac, evaluate } from './engine';
import { RbacConfigError } from './errors';
import type { RbacInput } from './input';
import { httpInput, method, policy, principal, tcpInput } from './testing';

const allowIf = (permission: Permission, input: RbacInput, principalRule: Principal = { any: true }): boolean =>
  evaluate(compileRbac('t', { action: 'ALLOW', policies: { p: policy([permission], [principalRule]) } }), input).allowed;
const allowWho = (p: Principal, input: RbacInput): boolean => allowIf({ any: true }, input, p);

describe('actions', () => {
  it('ALLOW with no policies denies; DENY and LOG with none allow', () => {
    expect(evaluate(compileRbac('t', { action: 'ALLOW' }), httpInput())).toEqual({ allowed: false, matchedPolicy: undefined, shouldLog: false });
    expect(evaluate(compileRbac('t', {}), httpInput()).allowed).toBe(false);
    expect(evaluate(compileRbac('t', { action: 'DENY', policies: {} }), httpInput()).allowed).toBe(true);
    expect(evaluate(compileRbac('t', { action: 'LOG' }), httpInput())).toEqual({ allowed: true, matchedPolicy: undefined, shouldLog: false });
  });

  it('ALLOW allows iff a policy matches, DENY denies iff one does, LOG always allows and logs a match', () => {
    const policies = { get: policy([method('GET')]) };
    expect(evaluate(compileRbac('t', { action: 'ALLOW', policies }), httpInput())).toEqual({ allowed: true, matchedPolicy: 'get', shouldLog: false });
    expect(evaluate(compileRbac('t', { action: 'ALLOW', policies }), httpInput({ headers: { ':method': 'POST' } })).allowed).toBe(false);
    expect(evaluate(compileRbac('t', { action: 'DENY', policies }), httpInput())).toEqual({ allowed: false, matchedPolicy: 'get', shouldLog: false });
    expect(evaluate(compileRbac('t', { action: 'DENY', policies }), httpInput({ headers: { ':method': 'POST' } })).allowed).toBe(true);
    expect(evaluate(compileRbac('t', { action: 'LOG', policies }), httpInput())).toEqual({ allowed: true, matchedPolicy: 'get', shouldLog: true });
  });

  it('reports the first matching policy in name order (a std::map), not insertion order', () => {
    const rules: RbacRules = { action: 'DENY', policies: { 'ns[z]-policy[b]': policy([{ any: true }]), 'ns[a]-policy[c]': policy([{ any: true }]) } };
    expect(evaluate(compileRbac('t', rules), httpInput()).matchedPolicy).toBe('ns[a]-policy[c]');
  });

  it('a policy needs a permission and a principal to match', () => {
    const rules: RbacRules = { policies: { p: policy([method('GET')], [principal('cluster.local/ns/default/sa/productpage')]) } };
    expect(evaluate(compileRbac('t', rules), httpInput()).allowed).toBe(false);
    expect(evaluate(compileRbac('t', rules), httpInput({ principal: 'spiffe://cluster.local/ns/default/sa/productpage' })).allowed).toBe(true);
  });

  it('accepts the enum as a number (wire decoding)', () => {
    expect(compileRbac('t', { action: 1 as unknown as 'DENY' }).action).toBe('DENY');
  });
});

describe('permissions', () => {
  it('header: string_match, legacy *_match, present_match, invert_match, pseudo-headers', () => {
    const h = (m: object): Permission => ({ header: { name: 'x-user', ...m } });
    const input = httpInput({ headers: { 'x-user': 'Alice' } });
    expect(allowIf(h({ string_match: { exact: 'alice', ignore_case: true } }), input)).toBe(true);
    expect(allowIf(h({ string_match: { exact: 'alice' } }), input)).toBe(false);
    expect(allowIf(h({ exact_match: 'Alice' }), input)).toBe(true);
    expect(allowIf(h({ prefix_match: 'Al' }), input)).toBe(true);
    expect(allowIf(h({ suffix_match: 'ce' }), input)).toBe(true);
    expect(allowIf(h({ contains_match: 'lic' }), input)).toBe(true);
    expect(allowIf(h({ safe_regex_match: { regex: 'A.*e' } }), input)).toBe(true);
    expect(allowIf(h({ safe_regex_match: { regex: 'lic' } }), input)).toBe(false); // full match
    expect(allowIf(h({ present_match: true }), input)).toBe(true);
    expect(allowIf(h({ present_match: true }), httpInput())).toBe(false);
    expect(allowIf(h({ exact_match: 'Alice', invert_match: true }), input)).toBe(false);
    expect(allowIf(h({ exact_match: 'Bob', invert_match: true }), input)).toBe(true);
    expect(allowIf({ header: { name: ':authority', string_match: { prefix: 'productpage' } } }, input)).toBe(true);
    expect(allowIf({ header: { name: ':path', string_match: { exact: '/api/v1/products?x=1' } } }, input)).toBe(true);
  });

  it('url_path matches the path without query', () => {
    expect(allowIf({ url_path: { path: { exact: '/api/v1/products' } } }, httpInput())).toBe(true);
    expect(allowIf({ url_path: { path: { prefix: '/admin' } } }, httpInput())).toBe(false);
  });

  it('destination_ip, destination_port, requested_server_name', () => {
    expect(allowIf({ destination_ip: { address_prefix: '10.0.0.0', prefix_len: { value: 24 } } }, httpInput())).toBe(true);
    expect(allowIf({ destination_ip: { address_prefix: '10.0.1.0', prefix_len: { value: 24 } } }, httpInput())).toBe(false);
    expect(allowIf({ destination_ip: { address_prefix: '10.0.0.9', prefix_len: { value: 32 } } }, httpInput({ destinationIp: '::ffff:10.0.0.9' }))).toBe(true);
    expect(allowIf({ destination_ip: { address_prefix: 'fd00::', prefix_len: { value: 8 } } }, httpInput({ destinationIp: 'fd12::1' }))).toBe(true);
    expect(allowIf({ destination_port: 9080 }, httpInput())).toBe(true);
    expect(allowIf({ destination_port: 9090 }, httpInput())).toBe(false);
    expect(allowIf({ requested_server_name: { suffix: '.example.com' } }, httpInput({ sni: 'a.example.com' }))).toBe(true);
    expect(allowIf({ requested_server_name: { exact: '' } }, httpInput())).toBe(true);
  });

  it('metadata: nested path, list_match one_of on list claims, or_match, invert, missing metadata', () => {
    const aud = (values: string[], invert = false): Permission => ({
      metadata: {
        filter: 'envoy.filters.http.jwt_authn',
        path: [{ key: 'payload' }, { key: 'aud' }],
        value: { or_match: { value_matchers: [{ list_match: { one_of: { or_match: { value_matchers: values.map((v) => ({ string_match: { exact: v } })) } } } }, ...values.map((v) => ({ string_match: { exact: v } }))] } },
        invert,
      },
    });
    expect(allowIf(aud(['bookinfo']), httpInput({ claims: { aud: ['other', 'bookinfo'] } }))).toBe(true);
    expect(allowIf(aud(['bookinfo']), httpInput({ claims: { aud: 'bookinfo' } }))).toBe(true);
    expect(allowIf(aud(['bookinfo']), httpInput({ claims: { aud: ['other'] } }))).toBe(false);
    expect(allowIf(aud(['bookinfo']), httpInput())).toBe(false);
    expect(allowIf(aud(['bookinfo'], true), httpInput())).toBe(true);
    const nested: Permission = { metadata: { filter: 'envoy.filters.http.jwt_authn', path: [{ key: 'payload' }, { key: 'realm' }, { key: 'role' }], value: { string_match: { exact: 'admin' } } } };
    expect(allowIf(nested, httpInput({ claims: { realm: { role: 'admin' } } }))).toBe(true);
    // A plain string_match does not look into a list (Envoy's ValueMatcher): istiod wraps lists in list_match.
    const plain: Permission = { metadata: { filter: 'envoy.filters.http.jwt_authn', path: [{ key: 'payload' }, { key: 'groups' }], value: { string_match: { exact: 'a' } } } };
    expect(allowIf(plain, httpInput({ claims: { groups: ['a'] } }))).toBe(false);
    expect(allowIf({ metadata: { filter: 'f', path: [{ key: 'k' }], value: { present_match: true } } }, httpInput())).toBe(false);
  });

  it('and_rules, or_rules, not_rule', () => {
    const and: Permission = { and_rules: { rules: [method('GET'), { url_path: { path: { prefix: '/api/' } } }] } };
    expect(allowIf(and, httpInput())).toBe(true);
    expect(allowIf(and, httpInput({ headers: { ':path': '/admin' } }))).toBe(false);
    expect(allowIf(method('POST', 'GET'), httpInput())).toBe(true);
    expect(allowIf({ not_rule: method('GET') }, httpInput())).toBe(false);
    expect(allowIf({ not_rule: method('POST') }, httpInput())).toBe(true);
    expect(allowIf({ not_rule: { not_rule: method('GET') } }, httpInput())).toBe(true);
  });

  it('on TCP, header/url_path/metadata matchers do not match', () => {
    expect(allowIf({ header: { name: ':method', present_match: true } }, tcpInput())).toBe(false);
    expect(allowIf({ url_path: { path: { prefix: '/' } } }, tcpInput())).toBe(false);
    expect(allowIf({ destination_port: 3306 }, tcpInput())).toBe(true);
  });
});

describe('principals', () => {
  it('authenticated: principal_name against the URI SAN; without it any verified peer; none without mTLS', () => {
    expect(allowWho(principal('cluster.local/ns/default/sa/sleep'), httpInput())).toBe(true);
    expect(allowWho(principal('cluster.local/ns/default/sa/other'), httpInput())).toBe(false);
    expect(allowWho({ authenticated: { principal_name: { safe_regex: { regex: '.*/ns/default/.*' } } } }, httpInput())).toBe(true);
    expect(allowWho({ authenticated: {} }, httpInput())).toBe(true);
    expect(allowWho({ authenticated: {} }, httpInput({ authenticated: false, principal: undefined }))).toBe(false);
    expect(allowWho(principal('cluster.local/ns/default/sa/sleep'), httpInput({ authenticated: false }))).toBe(false);
  });

  it('direct_remote_ip / source_ip read the peer, remote_ip the original client', () => {
    const input = httpInput({ sourceIp: '10.0.0.5', remoteIp: '192.168.1.7' });
    const cidr = (a: string, n: number) => ({ address_prefix: a, prefix_len: { value: n } });
    expect(allowWho({ direct_remote_ip: cidr('10.0.0.0', 8) }, input)).toBe(true);
    expect(allowWho({ source_ip: cidr('10.0.0.0', 8) }, input)).toBe(true);
    expect(allowWho({ remote_ip: cidr('10.0.0.0', 8) }, input)).toBe(false);
    expect(allowWho({ remote_ip: cidr('192.168.0.0', 16) }, input)).toBe(true);
    expect(allowWho({ direct_remote_ip: cidr('0.0.0.0', 0) }, input)).toBe(true);
  });

  it('header, url_path, metadata, and_ids, or_ids, not_id', () => {
    const iss: Principal = { metadata: { filter: 'envoy.filters.http.jwt_authn', path: [{ key: 'payload' }, { key: 'iss' }], value: { string_match: { exact: 'testing@secure.istio.io' } } } };
    const sub: Principal = { metadata: { filter: 'envoy.filters.http.jwt_authn', path: [{ key: 'payload' }, { key: 'sub' }], value: { string_match: { exact: 'testing@secure.istio.io' } } } };
    const jwt = httpInput({ claims: { iss: 'testing@secure.istio.io', sub: 'testing@secure.istio.io' } });
    expect(allowWho({ and_ids: { ids: [iss, sub] } }, jwt)).toBe(true);
    expect(allowWho({ and_ids: { ids: [iss, sub] } }, httpInput())).toBe(false);
    expect(allowWho({ or_ids: { ids: [principal('x/ns/y/sa/z'), iss] } }, jwt)).toBe(true);
    expect(allowWho({ not_id: iss }, jwt)).toBe(false);
    expect(allowWho({ not_id: { any: true } }, jwt)).toBe(false);
    expect(allowWho({ header: { name: 'x-token', present_match: true } }, httpInput({ headers: { 'x-token': 'a' } }))).toBe(true);
    expect(allowWho({ url_path: { path: { exact: '/api/v1/products' } } }, httpInput())).toBe(true);
  });
});

describe('config errors name the policy', () => {
  const bad = (p: Permission | Principal, where: 'permissions' | 'principals' = 'permissions'): unknown => {
    try {
      const pol = where === 'permissions' ? policy([p as Permission]) : policy([{ any: true }], [p as Principal]);
      compileRbac('listener x', { policies: { 'ns[foo]-policy[bar]-rule[0]': pol } });
    } catch (err) {
      return err;
    }
    return undefined;
  };

  it('unknown oneof, empty rule, two fields, bad regex, bad CIDR, empty lists', () => {
    const e = bad({ destination_port_range: { start: 1 } } as unknown as Permission) as RbacConfigError;
    expect(e).toBeInstanceOf(RbacConfigError);
    expect(e.code).toBe('RBAC_INVALID');
    expect(e.message).toBe('listener x: policy "ns[foo]-policy[bar]-rule[0]": unsupported permission rule destination_port_range');
    expect((bad({ filter_state: {} } as unknown as Principal, 'principals') as Error).message).toContain('unsupported principal rule filter_state');
    expect((bad({}) as Error).message).toContain('permission has no rule set');
    expect((bad({ any: true, destination_port: 1 }) as Error).message).toContain('sets more than one of any, destination_port');
    expect((bad({ url_path: { path: { safe_regex: { regex: '(?P<x>a)' } } } }) as Error).message).toContain('regex "(?P<x>a)" cannot be compiled');
    expect((bad({ destination_ip: { address_prefix: 'nope' } }) as Error).message).toContain('is not an IP address');
    expect((bad({ or_rules: { rules: [] } }) as Error).message).toContain('or_rules.rules must not be empty');
    expect(() => compileRbac('t', { policies: { p: { permissions: [], principals: [{ any: true }] } } })).toThrow('policy "p": permissions must not be empty');
    expect(() => compileRbac('t', { action: 'MAYBE' as 'ALLOW' })).toThrow('unknown action "MAYBE"');
  });
});
