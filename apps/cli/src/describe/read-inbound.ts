import type { MeshBackend } from '../client/backend';
import type { DumpListener } from '../proxy-config/envoy-access';
import { listenersOfAdminDump, observedMtls } from './observed-mtls';
import type { InboundTruth } from './peer-authentication-lines';

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * What the pod's proxy enforces inbound, as istioctl reads it: the proxy's own `/config_dump` (local
 * mode: its pod address; cluster: a port-forward), else the listeners the control plane holds for it
 * (`/debug/config_dump`), else why neither could be read.
 */
export async function readInbound(api: MeshBackend, proxyId: string, namespace: string): Promise<InboundTruth> {
  let adminError: string;
  try {
    const listeners = listenersOfAdminDump(await api.proxyAdmin(proxyId, namespace, '/config_dump'));
    if (listeners.length > 0) return observedMtls(listeners);
    adminError = 'its /config_dump has no listeners';
  } catch (err) {
    adminError = reason(err);
  }
  try {
    const listeners = (await api.configDump(proxyId)).listeners as DumpListener[];
    if (listeners.length > 0) return observedMtls(listeners);
    return { unavailable: `${adminError}; the control plane holds no listeners for it` };
  } catch (err) {
    return { unavailable: `${adminError}; ${reason(err)}` };
  }
}
