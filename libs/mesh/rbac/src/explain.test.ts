import type { Permission, Principal, RbacRules } from '@trellis/mesh-envoy';
import { compileRbac } from './engine';
import { explain } from './explain';
import type { RbacInput } from './input';
import { httpInput, method, policy, principal, tcpInput } from './testing';

const reasonOf = (permission: Permission, input: RbacInput, who: Principal = { any: true }): string | undefined =>
  explain(compileRbac('t', { policies: { p: policy([permission], [who]) } }), input).policies[0].reason;

describe('explain', () => {
  it('lists every policy in name order with the decision of evaluate', () => {
    const rules: RbacRules = { action: 'ALLOW', policies: { b: policy([method('GET')]), a: policy([method('POST')]) } };
    const out = explain(compileRbac('t', rules), httpInput());
    expect(out).toEqual({
      action: 'ALLOW',
      allowed: true,
      matchedPolicy: 'b',
      shouldLog: false,
      policies: [
        { name: 'a', matched: false, reason: 'method GET not in [POST]' },
        { name: 'b', matched: true },
      ],
    });
  });

  it('methods, paths, hosts, ports, headers', () => {
    expect(reasonOf(method('GET', 'HEAD'), httpInput({ headers: { ':method': 'POST' } }))).toBe('method POST not in [GET, HEAD]');
    const api: Permission = { or_rules: { rules: [{ url_path: { path: { prefix: '/api/' } } }, { url_path: { path: { exact: '/health' } } }] } };
    expect(reasonOf(api, httpInput({ path: '/admin' }))).toBe('path /admin does not match [/api/*, /health]');
    expect(reasonOf({ header: { name: ':authority', string_match: { suffix: '.example.com', ignore_case: true } } }, httpInput())).toBe(
      'host productpage:9080 does not match [*.example.com]',
    );
    expect(reasonOf({ or_rules: { rules: [{ destination_port: 8080 }, { destination_port: 8443 }] } }, httpInput())).toBe('port 9080 not in [8080, 8443]');
    expect(reasonOf({ header: { name: 'x-user', exact_match: 'alice' } }, httpInput())).toBe('header x-user (absent) does not match [alice]');
    expect(reasonOf({ header: { name: 'x-user', contains_match: 'ali' } }, httpInput({ headers: { 'x-user': 'bob' } }))).toBe('header x-user bob does not match [*ali*]');
    expect(reasonOf({ url_path: { path: { prefix: '/' } } }, tcpInput())).toBe('path: not an HTTP request (TCP connection)');
  });

  it('the first failing condition of and_rules', () => {
    const both: Permission = { and_rules: { rules: [method('GET'), { or_rules: { rules: [{ url_path: { path: { prefix: '/api/' } } }] } }] } };
    expect(reasonOf(both, httpInput({ path: '/admin' }))).toBe('path /admin does not match [/api/*]');
    expect(reasonOf(both, httpInput({ path: '/admin', headers: { ':method': 'PUT' } }))).toBe('method PUT not in [GET]');
  });

  it('principals in Istio form, without the spiffe:// the matcher added', () => {
    const who = principal('cluster.local/ns/default/sa/bookinfo-productpage');
    expect(reasonOf({ any: true }, httpInput(), who)).toBe(
      'principal cluster.local/ns/default/sa/sleep does not match [cluster.local/ns/default/sa/bookinfo-productpage]',
    );
    expect(reasonOf({ any: true }, httpInput({ authenticated: false, principal: undefined }), who)).toBe('no peer certificate (mTLS required for principals)');
    const ns: Principal = { authenticated: { principal_name: { safe_regex: { regex: '.*/ns/foo/.*' } } } };
    expect(reasonOf({ any: true }, httpInput(), ns)).toBe('principal spiffe://cluster.local/ns/default/sa/sleep does not match [regex(.*/ns/foo/.*)]');
  });

  it('request principals and claims', () => {
    const claim = (key: string, value: string): Principal => ({
      metadata: { filter: 'envoy.filters.http.jwt_authn', path: [{ key: 'payload' }, { key }], value: { string_match: { exact: value } } },
    });
    const rp: Principal = { and_ids: { ids: [claim('iss', 'testing@secure.istio.io'), claim('sub', 'testing@secure.istio.io')] } };
    expect(reasonOf({ any: true }, httpInput(), rp)).toBe('no JWT (request principal required)');
    expect(reasonOf({ any: true }, httpInput({ claims: { iss: 'other', sub: 'x' } }), rp)).toBe(
      'request.auth.claims[iss] other does not match [testing@secure.istio.io]',
    );
    const groups: Principal = {
      metadata: { filter: 'envoy.filters.http.jwt_authn', path: [{ key: 'payload' }, { key: 'groups' }], value: { list_match: { one_of: { string_match: { exact: 'group1' } } } } },
    };
    expect(reasonOf({ any: true }, httpInput({ claims: { groups: ['group2', 'group3'] } }), groups)).toBe(
      'request.auth.claims[groups] [group2, group3] does not match [group1]',
    );
    expect(reasonOf({ any: true }, httpInput({ claims: { iss: 'a' } }), groups)).toBe('request.auth.claims[groups] absent');
  });

  it('not_rule and not_id say what matched the exclusion', () => {
    expect(reasonOf({ not_rule: method('GET', 'HEAD') }, httpInput())).toBe('method GET is in excluded [GET, HEAD]');
    const notSleep: Principal = { not_id: principal('cluster.local/ns/default/sa/sleep') };
    expect(reasonOf({ any: true }, httpInput(), notSleep)).toBe('principal cluster.local/ns/default/sa/sleep matches excluded [cluster.local/ns/default/sa/sleep]');
    expect(reasonOf({ not_rule: { not_rule: method('POST') } }, httpInput())).toBe('method GET not in [POST]');
  });

  it('source and remote addresses', () => {
    const who: Principal = { or_ids: { ids: [{ direct_remote_ip: { address_prefix: '192.168.0.0', prefix_len: { value: 16 } } }] } };
    expect(reasonOf({ any: true }, httpInput(), who)).toBe('source ip 10.0.0.5 does not match [192.168.0.0/16]');
    expect(reasonOf({ any: true }, httpInput(), { remote_ip: { address_prefix: '1.2.3.4', prefix_len: { value: 32 } } })).toBe(
      'remote ip 10.0.0.5 does not match [1.2.3.4/32]',
    );
  });

  it('mixed or-lists list each alternative', () => {
    const mixed: Permission = { or_rules: { rules: [method('PUT'), { destination_port: 1 }] } };
    expect(reasonOf(mixed, httpInput())).toBe('none of: method GET not in [PUT]; port 9080 not in [1]');
  });
});
