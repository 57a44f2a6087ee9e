import type { DestinationRule, MeshService, PeerAuthentication } from '../../index';
import { analyze, analyzeOverlay, formatMessage } from '../../index';

const httpbin: MeshService = {
  name: 'httpbin',
  namespace: 'foo',
  hostname: 'httpbin.foo.svc.cluster.local',
  ports: [{ name: 'http', port: 8000, targetPort: 80, protocol: 'HTTP' }],
  selector: { app: 'httpbin' },
};
const pa = (ns: string, name: string, spec: PeerAuthentication['spec']): PeerAuthentication => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name, namespace: ns },
  spec,
});
const disable: DestinationRule = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'httpbin', namespace: 'foo' },
  spec: { host: 'httpbin.foo.svc.cluster.local', trafficPolicy: { tls: { mode: 'DISABLE' } } },
};
const lines = (peerAuthentications: PeerAuthentication[], destinationRules = [disable]): string[] =>
  analyze({ services: [httpbin], destinationRules, peerAuthentications }).map(formatMessage);

describe('IST0113 MTLSPolicyConflict', () => {
  it('flags a DISABLE DestinationRule towards a STRICT workload (mesh-wide policy)', () => {
    expect(lines([pa('istio-system', 'default', { mtls: { mode: 'STRICT' } })])).toEqual([
      'Error [IST0113] (DestinationRule foo/httpbin) A DestinationRule and Policy are in conflict with regards to mTLS for host httpbin.foo.svc.cluster.local:8000. The DestinationRule "foo/httpbin" specifies that mTLS must be false but the Policy object "istio-system/default" specifies Strict.',
    ]);
  });

  it('names the workload policy, and honours its port-level DISABLE', () => {
    const strict = pa('foo', 'httpbin', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'STRICT' } });
    expect(lines([strict])[0]).toContain('the Policy object "foo/httpbin" specifies Strict');
    const portOff = pa('foo', 'httpbin', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '80': { mode: 'DISABLE' } } });
    expect(lines([portOff])).toEqual([]);
  });

  it('is quiet for PERMISSIVE, or a DestinationRule asking for ISTIO_MUTUAL', () => {
    expect(lines([pa('foo', 'default', { mtls: { mode: 'PERMISSIVE' } })])).toEqual([]);
    const mutual = { ...disable, spec: { host: 'httpbin', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' as const } } } };
    expect(lines([pa('foo', 'default', { mtls: { mode: 'STRICT' } })], [mutual])).toEqual([]);
  });

  it('reports portLevelMtls without a selector as Istio\'s webhook does (IST0106)', () => {
    const bad = pa('foo', 'default', { mtls: { mode: 'STRICT' }, portLevelMtls: { '80': { mode: 'DISABLE' } } });
    const out = analyzeOverlay({ stored: [], submitted: [bad], namespace: undefined, services: [httpbin] }).map(formatMessage);
    expect(out).toEqual([
      'Error [IST0106] (PeerAuthentication foo/default) Schema validation error: spec.portLevelMtls: mesh/namespace peer authentication cannot have port level mTLS',
    ]);
  });
});
