import type { IstioConfig, MeshService, VirtualService } from '@trellis/mesh-api';
import { convertGatewayApi } from './convert';
import { bookinfoServices, input } from './testing/fixture';

const gw = (listeners: Record<string, unknown>[], namespace = 'default'): IstioConfig =>
  ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace }, spec: { gatewayClassName: 'istio', listeners } }) as unknown as IstioConfig;
const http = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name: 'http', port: 80, protocol: 'HTTP', ...extra });
const route = (name: string, spec: Record<string, unknown>, namespace = 'default', creationTimestamp = '2026-01-01T00:00:00Z'): IstioConfig =>
  ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name, namespace, creationTimestamp }, spec }) as IstioConfig;
const grant = (from: string, to: { kind: string; name?: string }, namespace = 'default'): IstioConfig =>
  ({ apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'g', namespace }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: from === 'gw' ? 'Gateway' : 'HTTPRoute', namespace: 'other' }], to: [{ group: '', ...to }] } }) as IstioConfig;

type Cond = { type: string; status: string; reason: string; message: string };
function routeConditions(configs: IstioConfig[], name: string, services?: MeshService[]): string[] {
  const r = convertGatewayApi(input(configs, services ? { services } : {}));
  const parents = (r.status.find((s) => s.kind === 'HTTPRoute' && s.name === name)?.status['parents'] ?? []) as { conditions: Cond[] }[];
  return parents.flatMap((p) => p.conditions.filter((c) => c.status === 'False').map((c) => `${c.type} ${c.reason}: ${c.message}`));
}
const backend = (name: string, namespace?: string) => ({ name, port: 9080, ...(namespace ? { namespace } : {}) });

describe('route status: bad input is reported with the spec reasons, the rest keeps serving', () => {
  it('names a missing backend and a missing parent', () => {
    expect(routeConditions([gw([http()]), route('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [backend('nope')] }] })], 'r')).toEqual([
      'ResolvedRefs BackendNotFound: backend(nope.default.svc.cluster.local) not found',
    ]);
    expect(routeConditions([route('r', { parentRefs: [{ name: 'missing' }] })], 'r')).toEqual(['Accepted NoMatchingParent: parent gateway "default/missing" not found']);
    expect(routeConditions([route('r', { parentRefs: [{ group: '', kind: 'Service', name: 'nosvc', port: 9080 }] })], 'r')).toEqual([
      'Accepted NoMatchingParent: parent service: "nosvc" not found',
    ]);
    expect(routeConditions([gw([http()]), route('r', { parentRefs: [{ name: 'gw', sectionName: 'https' }] })], 'r')).toEqual(['Accepted NoMatchingParent: sectionName "https" not found']);
  });

  it('answers 500 where no backend resolves, and serves the backends that do', () => {
    const r = convertGatewayApi(input([gw([http()]), route('r', { parentRefs: [{ name: 'gw' }], rules: [{ backendRefs: [backend('nope')] }, { matches: [{ path: { type: 'Exact', value: '/ok' } }], backendRefs: [backend('reviews'), backend('nope')] }] })]));
    const vs = r.configs.find((c): c is VirtualService => c.kind === 'VirtualService');
    expect(vs?.spec.http?.map((h) => h.directResponse?.status ?? h.route?.map((d) => d.destination.host).join())).toEqual(['reviews.default.svc.cluster.local', 500]);
  });

  it('enforces ReferenceGrants for cross-namespace backends of gateway routes', () => {
    const gwAll = gw([http({ allowedRoutes: { namespaces: { from: 'All' } } })]);
    const services = [...bookinfoServices(), ...bookinfoServices().map((s) => ({ ...s, namespace: 'other', hostname: s.hostname.replace('.default.', '.other.') }))];
    const r = route('r', { parentRefs: [{ name: 'gw', namespace: 'default' }], rules: [{ backendRefs: [backend('reviews', 'default')] }] }, 'other');
    expect(routeConditions([gwAll, r], 'r', services)).toEqual([
      'ResolvedRefs RefNotPermitted: backendRef reviews/default not accessible to a HTTPRoute in namespace "other" (missing a ReferenceGrant?)',
    ]);
    expect(routeConditions([gwAll, r, grant('route', { kind: 'Service' })], 'r', services)).toEqual([]);
    expect(routeConditions([gwAll, r, grant('route', { kind: 'Service', name: 'ratings' })], 'r', services)).toHaveLength(1);
  });

  it('enforces ReferenceGrants for listener certificates', () => {
    const https = { name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'cert', namespace: 'default' }] } };
    const status = (configs: IstioConfig[]) => {
      const s = convertGatewayApi(input(configs)).status.find((x) => x.kind === 'Gateway')?.status['listeners'] as { conditions: Cond[] }[];
      return s[0]?.conditions.find((c) => c.type === 'ResolvedRefs');
    };
    expect(status([gw([https], 'other')])).toMatchObject({ status: 'False', reason: 'RefNotPermitted' });
    expect(status([gw([{ ...https, tls: { certificateRefs: [{ name: 'cert' }] } }], 'default')])).toMatchObject({ status: 'True' });
  });

  it('rejects routes from namespaces the listener does not allow, and hostnames it does not serve', () => {
    const r = route('r', { parentRefs: [{ name: 'gw', namespace: 'default' }] }, 'other');
    expect(routeConditions([gw([http()]), r], 'r')).toEqual(['Accepted NotAllowedByListeners: hostnames matched parent hostname "*", but namespace "other" is not allowed by the parent']);
    const named = gw([http({ hostname: 'bookinfo.example.com' })]);
    expect(routeConditions([named, route('h', { parentRefs: [{ name: 'gw' }], hostnames: ['other.example.com'] })], 'h')).toEqual([
      'Accepted NoMatchingListenerHostname: no hostnames matched parent hostname "bookinfo.example.com"',
    ]);
  });

  it('merges conflicting routes on one host by precedence, then age', () => {
    const older = route('older', { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/a' } }], backendRefs: [backend('reviews')] }] }, 'default', '2026-01-01T00:00:00Z');
    const newer = route('newer', { parentRefs: [{ name: 'gw' }], rules: [
      { matches: [{ path: { type: 'PathPrefix', value: '/a' } }], backendRefs: [backend('ratings')] },
      { matches: [{ path: { type: 'Exact', value: '/a' } }], backendRefs: [backend('details')] },
    ] }, 'default', '2026-02-01T00:00:00Z');
    const vs = convertGatewayApi(input([gw([http()]), newer, older])).configs.filter((c): c is VirtualService => c.kind === 'VirtualService');
    expect(vs).toHaveLength(1);
    expect(vs[0]?.spec.http?.map((h) => `${JSON.stringify(h.match?.[0]?.uri)} ${h.route?.[0]?.destination.host.split('.')[0]}`)).toEqual([
      '{"exact":"/a"} details',
      '{"exact":"/a"} reviews',
      '{"prefix":"/a/"} reviews',
      '{"exact":"/a"} ratings',
      '{"prefix":"/a/"} ratings',
    ]);
  });

  it('leaves Gateways of other classes alone', () => {
    const other = { ...gw([http()]), spec: { gatewayClassName: 'nginx', listeners: [http()] } } as unknown as IstioConfig;
    const r = convertGatewayApi(input([other, route('r', { parentRefs: [{ name: 'gw' }] })]));
    expect(r).toEqual({ configs: [], status: [], deployments: [] });
  });
});
