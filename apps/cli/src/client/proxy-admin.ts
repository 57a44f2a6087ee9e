import { TrellisError } from '@trellis/shared';
import type { SyncStatus } from './api-types';
import { JsonHttp } from './http';

/** Envoy's admin port (pilot-agent/Envoy: 15000). */
export const PROXY_ADMIN_PORT = 15000;
/** No connected proxy matches, or its admin port cannot be reached. */
export const PROXY_NOT_FOUND = 'PROXY_NOT_FOUND';
export const PROXY_ADMIN_UNREACHABLE = 'PROXY_ADMIN_UNREACHABLE';

/** `sidecar~10.0.0.1~reviews-v1-abc.default~default.svc.cluster.local` → its IP and `pod.ns`. */
function parts(id: string): { ip: string; podNs: string } | undefined {
  const [, ip, podNs] = id.split('~');
  return ip === undefined || podNs === undefined ? undefined : { ip, podNs };
}

/** The connected proxy `<pod>.<ns>` (or its full node id) names, from the control plane's /debug/syncz. */
export function findProxy(statuses: readonly SyncStatus[], proxyId: string): { id: string; ip: string } {
  for (const s of statuses) {
    const p = parts(s.id);
    if (p !== undefined && (s.id === proxyId || p.podNs === proxyId)) return { id: s.id, ip: p.ip };
  }
  throw new TrellisError(PROXY_NOT_FOUND, `proxy ${proxyId} is not connected to the control plane`, { proxy: proxyId, connected: statuses.length });
}

/**
 * One GET of a proxy's admin API in local mode, where every proxy binds its admin port on its own
 * pod address (`--ops-bind instance-ip`): the address comes from the proxy's node id.
 */
export async function localAdminGet(statuses: readonly SyncStatus[], proxyId: string, adminPath: string): Promise<unknown> {
  const { ip } = findProxy(statuses, proxyId);
  const http = new JsonHttp(`http://${ip.includes(':') ? `[${ip}]` : ip}:${PROXY_ADMIN_PORT}`);
  try {
    const res = await http.send('GET', adminPath);
    if (res.status !== 200) throw new TrellisError(PROXY_ADMIN_UNREACHABLE, `proxy admin answered ${res.status}`, { proxy: proxyId, path: adminPath });
    return res.body;
  } catch (err) {
    if (err instanceof TrellisError && err.code === PROXY_ADMIN_UNREACHABLE) throw err;
    throw new TrellisError(PROXY_ADMIN_UNREACHABLE, 'could not reach the proxy admin port', { proxy: proxyId, address: `${ip}:${PROXY_ADMIN_PORT}` }, { cause: err });
  } finally {
    await http.close();
  }
}
