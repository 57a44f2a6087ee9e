import type { DestinationRule, MeshService, PeerAuthentication, VirtualService, WorkloadInstance } from '@trellis/mesh-api';
import { describePod, type DescribePodInput } from './describe-pod';

function service(name: string): MeshService {
  return {
    name,
    namespace: 'default',
    hostname: `${name}.default.svc.cluster.local`,
    ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' }],
    selector: { app: name },
  };
}

function pod(name: string, app: string, version: string, sidecar = true): WorkloadInstance {
  return { name, namespace: 'default', address: '127.0.0.2', labels: { app, version }, serviceAccount: `bookinfo-${app}`, sidecar, ready: true };
}

function dr(host: string, subsets: string[], mtls = true): DestinationRule {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: { name: host, namespace: 'default' },
    spec: {
      host,
      ...(mtls ? { trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } } : {}),
      subsets: subsets.map((v) => ({ name: v, labels: { version: v } })),
    },
  };
}

function vs(name: string, http: VirtualService['spec']['http']): VirtualService {
  return { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: 'default' }, spec: { hosts: [name], http } };
}

const ALL_V1 = vs('reviews', [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }]);
const SPLIT_90_10 = vs('reviews', [
  { route: [{ destination: { host: 'reviews', subset: 'v1' }, weight: 90 }, { destination: { host: 'reviews', subset: 'v3' }, weight: 10 }] },
]);
const JASON = vs('reviews', [
  { match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [{ destination: { host: 'reviews', subset: 'v2' } }] },
  { route: [{ destination: { host: 'reviews', subset: 'v3' } }] },
]);

function input(overrides: Partial<DescribePodInput>): DescribePodInput {
  return {
    pod: 'reviews-v1-abc',
    namespace: 'default',
    workloads: [
      pod('ratings-v1-x', 'ratings', 'v1'),
      pod('reviews-v1-abc', 'reviews', 'v1'),
      pod('reviews-v2-def', 'reviews', 'v2'),
      pod('details-v1-y', 'details', 'v1', false),
    ],
    services: ['productpage', 'details', 'reviews', 'ratings'].map(service),
    destinationRules: [],
    virtualServices: [],
    peerAuthentications: [],
    ...overrides,
  };
}

describe('describePod', () => {
  it('describes a pod, its service and DestinationRule (ratings after destination-rule-all-mtls)', () => {
    const lines = describePod(input({ pod: 'ratings-v1-x', destinationRules: [dr('ratings', ['v1', 'v2', 'v2-mysql', 'v2-mysql-vm'])] }));
    expect(lines).toEqual([
      'Pod: ratings-v1-x',
      '   Pod Revision: default',
      '   Pod Ports: 9080 (ratings), 15090 (istio-proxy)',
      '--------------------',
      'Service: ratings',
      '   Port: http 9080/HTTP targets pod port 9080',
      'DestinationRule: ratings for "ratings"',
      '   Matching subsets: v1',
      '      (Non-matching subsets v2,v2-mysql,v2-mysql-vm)',
      '   Traffic Policy TLS Mode: ISTIO_MUTUAL',
      '--------------------',
      'Effective PeerAuthentication:',
      '   Workload mTLS mode: PERMISSIVE',
    ]);
  });

  it('prints No Traffic Policy for a DestinationRule without one', () => {
    expect(describePod(input({ destinationRules: [dr('reviews', ['v1', 'v2', 'v3'], false)] }))).toContain('   No Traffic Policy');
  });

  it('counts HTTP routes that reach the pod (virtual-service-all-v1, reviews-v1)', () => {
    const lines = describePod(input({ destinationRules: [dr('reviews', ['v1', 'v2', 'v3'])], virtualServices: [ALL_V1] }));
    expect(lines.slice(lines.indexOf('VirtualService: reviews'), lines.indexOf('VirtualService: reviews') + 2)).toEqual([
      'VirtualService: reviews',
      '   1 HTTP route(s)',
    ]);
  });

  it('warns when no route reaches the pod (virtual-service-all-v1, reviews-v2)', () => {
    const lines = describePod(input({ pod: 'reviews-v2-def', destinationRules: [dr('reviews', ['v1', 'v2', 'v3'])], virtualServices: [ALL_V1] }));
    expect(lines).toEqual(
      expect.arrayContaining([
        'VirtualService: reviews',
        '   WARNING: No destinations match pod subsets (checked 1 HTTP routes)',
        '      Route to non-matching subset v1 for (everything)',
      ]),
    );
  });

  it('warns about subsets without a DestinationRule', () => {
    const lines = describePod(input({ virtualServices: [ALL_V1] }));
    expect(lines).toContain('      Warning: Route to subset v1 but NO DESTINATION RULE defining subsets!');
    expect(lines.some((l) => l.startsWith('DestinationRule:'))).toBe(false);
  });

  it('shows weights (virtual-service-reviews-90-10)', () => {
    const lines = describePod(input({ destinationRules: [dr('reviews', ['v1', 'v2', 'v3'])], virtualServices: [SPLIT_90_10] }));
    expect(lines).toContain('   Weight 90%');
    expect(lines).not.toContain('   1 HTTP route(s)');
  });

  it('renders header matches (virtual-service-reviews-jason-v2-v3)', () => {
    const drs = [dr('reviews', ['v1', 'v2', 'v3'])];
    const v1 = describePod(input({ destinationRules: drs, virtualServices: [JASON] }));
    expect(v1).toEqual(
      expect.arrayContaining([
        '   WARNING: No destinations match pod subsets (checked 2 HTTP routes)',
        '      Route to non-matching subset v2 for (when headers are end-user=jason)',
        '      Route to non-matching subset v3 for (everything)',
      ]),
    );
    const v2 = describePod(input({ pod: 'reviews-v2-def', destinationRules: drs, virtualServices: [JASON] }));
    expect(v2).toEqual(expect.arrayContaining(['   when headers are end-user=jason', '   1 additional destination(s) that will not reach this pod']));
  });

  it('flags pods without a sidecar', () => {
    expect(describePod(input({ pod: 'details-v1-y' }))).toEqual([
      'Pod: details-v1-y',
      '   Pod Ports: 9080 (details)',
      'WARNING: details-v1-y.default is not part of mesh; no Istio sidecar',
    ]);
  });

  it('reports the effective PeerAuthentication mode', () => {
    const pa = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication' as const, metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' as const } } };
    const lines = describePod(input({ peerAuthentications: [pa] }));
    expect(lines.slice(-4)).toEqual(['Applied PeerAuthentication:', '   default.istio-system', 'Effective PeerAuthentication:', '   Workload mTLS mode: STRICT']);
  });

  it('uses Istio precedence: the workload policy over the mesh one, UNSET inherits, port-level modes listed', () => {
    const pa = (name: string, namespace: string, spec: PeerAuthentication['spec']): PeerAuthentication => ({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace }, spec });
    const policies = [
      pa('default', 'istio-system', { mtls: { mode: 'STRICT' } }),
      pa('reviews', 'default', { selector: { matchLabels: { app: 'reviews' } }, mtls: { mode: 'UNSET' }, portLevelMtls: { '9080': { mode: 'DISABLE' } } }),
      pa('other', 'default', { selector: { matchLabels: { app: 'ratings' } }, mtls: { mode: 'DISABLE' } }),
    ];
    expect(describePod(input({ peerAuthentications: policies })).slice(-7)).toEqual([
      '--------------------',
      'Applied PeerAuthentication:',
      '   reviews.default, default.istio-system',
      'Effective PeerAuthentication:',
      '   Workload mTLS mode: STRICT',
      '   Port Level mTLS mode:',
      '      9080: DISABLE',
    ]);
  });

  it('accepts a unique name prefix and fails for unknown pods', () => {
    expect(describePod(input({ pod: 'reviews-v2' }))[0]).toBe('Pod: reviews-v2-def');
    expect(() => describePod(input({ pod: 'nope' }))).toThrow(expect.objectContaining({ code: 'POD_NOT_FOUND' }));
  });
});
