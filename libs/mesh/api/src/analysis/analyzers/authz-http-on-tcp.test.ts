import type { AuthorizationPolicy, MeshService } from '../../index';
import { analyze, analyzeOverlay, formatMessage } from '../../index';

const svc = (name: string, protocol: MeshService['ports'][number]['protocol'], labels = { app: name }): MeshService => ({
  name,
  namespace: 'foo',
  hostname: `${name}.foo.svc.cluster.local`,
  ports: [{ name: protocol.toLowerCase(), port: 3306, targetPort: 3306, protocol }],
  selector: labels,
});
const mysql = svc('mysqldb', 'TCP');
const httpbin = svc('httpbin', 'HTTP');
const ap = (name: string, spec: AuthorizationPolicy['spec'], ns = 'foo'): AuthorizationPolicy => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: ns }, spec });

const lines = (authorizationPolicies: AuthorizationPolicy[], services = [mysql, httpbin]): string[] => analyze({ services, authorizationPolicies }).map(formatMessage);

describe('IST0901 AuthorizationPolicyHttpFieldOnTcpPort', () => {
  it('an ALLOW rule with methods and a request header condition on a TCP-only workload never matches', () => {
    const p = ap('allow-get', {
      selector: { matchLabels: { app: 'mysqldb' } },
      rules: [{ from: [{ source: { namespaces: ['bar'] } }] }, { to: [{ operation: { methods: ['GET'], ports: ['3306'] } }], when: [{ key: 'request.headers[x-user]', values: ['a'] }] }],
    });
    expect(lines([p])).toEqual([
      "Warning [IST0901] (AuthorizationPolicy foo/allow-get) AuthorizationPolicy rule 1 uses HTTP-only fields (to[0].operation.methods, when[0] request.headers[x-user]) but every port of the selected workloads' services (mysqldb.foo.svc.cluster.local) is TCP: the rule never matches there, so it allows nothing.",
    ]);
  });

  it('a DENY rule with requestPrincipals: the field is ignored, the rule matches more', () => {
    const p = ap('deny-jwt', { action: 'DENY', selector: { matchLabels: { app: 'mysqldb' } }, rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] });
    expect(lines([p])).toEqual([
      "Warning [IST0901] (AuthorizationPolicy foo/deny-jwt) AuthorizationPolicy rule 0 uses HTTP-only fields (from[0].source.notRequestPrincipals) but every port of the selected workloads' services (mysqldb.foo.svc.cluster.local) is TCP: those fields are ignored there, so the DENY rule matches more than written.",
    ]);
  });

  it('silent when some selected service has an HTTP or auto-detected port, when nothing is selected, and for CUSTOM', () => {
    const rules = [{ to: [{ operation: { paths: ['/x'] } }] }];
    expect(lines([ap('ns-wide', { rules })])).toEqual([]);
    expect(lines([ap('auto', { selector: { matchLabels: { app: 'db' } }, rules })], [svc('db', 'AUTO')])).toEqual([]);
    expect(lines([ap('none', { selector: { matchLabels: { app: 'nothing' } }, rules })])).toEqual([]);
    expect(lines([ap('custom', { action: 'CUSTOM', provider: { name: 'x' }, selector: { matchLabels: { app: 'mysqldb' } }, rules })])).toEqual([]);
    expect(lines([ap('other-ns', { selector: { matchLabels: { app: 'mysqldb' } }, rules }, 'bar')])).toEqual([]);
  });

  it('a root-namespace policy reaches the workload; trellis analyze -f sees submitted policies', () => {
    const rules = [{ to: [{ operation: { hosts: ['db.example.com'] } }] }];
    expect(lines([ap('mesh', { selector: { matchLabels: { app: 'mysqldb' } }, rules }, 'istio-system')])[0]).toMatch(/^Warning \[IST0901\] \(AuthorizationPolicy istio-system\/mesh\)/);
    const submitted = [ap('via-overlay', { selector: { matchLabels: { app: 'mysqldb' } }, rules })];
    expect(analyzeOverlay({ stored: [], submitted, namespace: 'foo', services: [mysql] }).map((m) => m.code)).toEqual(['IST0901']);
  });
});
