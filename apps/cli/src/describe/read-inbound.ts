import type { MeshBackend } from '../client/backend';
import type { DumpListener } from '../proxy-config/envoy-access';
import { listenersOfAdminDump, observedMtls } from './observed-mtls';
import type { InboundTruth } from './peer-authentication-lines';

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A proxy's listeners, or why none could be read. */
export type ProxyListeners = { readonly listeners: DumpListener[]; readonly source: 'proxy' | 'control-plane' } | { readonly unavailable: string };

/**
 * What a pod's proxy holds, as istioctl reads it: the proxy's own `/config_dump` (local mode: its pod
 * address; cluster: a port-forward), else the listeners the control plane holds for it
 * (`/debug/config_dump`), else why neither could be read.
 */
export async function readProxyListeners(api: MeshBackend, proxyId: string, namespace: string): Promise<ProxyListeners> {
  let adminError: string;
  try {
    const listeners = listenersOfAdminDump(await api.proxyAdmin(proxyId, namespace, '/config_dump'));
    if (listeners.length > 0) return { listeners, source: 'proxy' };
    adminError = 'its /config_dump has no listeners';
  } catch (err) {
    adminError = reason(err);
  }
  try {
    const listeners = (await api.configDump(proxyId)).listeners as DumpListener[];
    if (listeners.length > 0) return { listeners, source: 'control-plane' };
    return { unavailable: `${adminError}; the control plane holds no listeners for it` };
  } catch (err) {
    return { unavailable: `${adminError}; ${reason(err)}` };
  }
}

/** What the pod's proxy enforces inbound (mTLS modes), read from its listeners. */
export async function readInbound(api: MeshBackend, proxyId: string, namespace: string): Promise<InboundTruth> {
  const read = await readProxyListeners(api, proxyId, namespace);
  return 'unavailable' in read ? { unavailable: read.unavailable } : observedMtls(read.listeners);
}
