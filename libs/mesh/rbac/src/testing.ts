import type { Permission, Principal, RbacPolicy } from '@trellis/mesh-envoy';
import type { RbacInput } from './input';

/** Test helpers: an HTTP request input and Istio-shaped policies. */
export function httpInput(over: Partial<RbacInput> & { headers?: Record<string, string>; claims?: Record<string, unknown> } = {}): RbacInput {
  const { headers = {}, claims, ...rest } = over;
  const all: Record<string, string> = { ':method': 'GET', ':path': '/api/v1/products?x=1', ':authority': 'productpage:9080', ...headers };
  return {
    sourceIp: '10.0.0.5',
    remoteIp: '10.0.0.5',
    destinationIp: '10.0.0.9',
    destinationPort: 9080,
    authenticated: true,
    principal: 'spiffe://cluster.local/ns/default/sa/sleep',
    path: (all[':path'] ?? '/').split('?')[0],
    header: (name) => all[name],
    metadata: (filter) => (claims !== undefined && filter === 'envoy.filters.http.jwt_authn' ? { payload: claims } : undefined),
    ...rest,
  };
}

export function tcpInput(over: Partial<RbacInput> = {}): RbacInput {
  return { sourceIp: '10.0.0.5', remoteIp: '10.0.0.5', destinationIp: '10.0.0.9', destinationPort: 3306, authenticated: false, ...over };
}

export const method = (...ms: string[]): Permission => ({
  or_rules: { rules: ms.map((m) => ({ header: { name: ':method', string_match: { exact: m } } })) },
});
export const principal = (...ps: string[]): Principal => ({
  or_ids: { ids: ps.map((p) => ({ authenticated: { principal_name: { exact: `spiffe://${p}` } } })) },
});
export const policy = (permissions: Permission[], principals: Principal[] = [{ any: true }]): RbacPolicy => ({ permissions, principals });
