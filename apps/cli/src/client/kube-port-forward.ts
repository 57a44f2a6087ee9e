import { createServer, type AddressInfo, type Server } from 'node:net';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';
import { TrellisError } from '@trellis/shared';
import { JsonHttp } from './http';
import { PROXY_ADMIN_PORT, PROXY_ADMIN_UNREACHABLE } from './proxy-admin';

/** `reviews-v1-abc.default` → pod and namespace (`-n` when the id has no namespace). */
export function podOf(proxyId: string, namespace: string): { pod: string; namespace: string } {
  const id = proxyId.includes('~') ? (proxyId.split('~')[2] ?? proxyId) : proxyId;
  const dot = id.indexOf('.');
  return dot < 0 ? { pod: id, namespace } : { pod: id.slice(0, dot), namespace: id.slice(dot + 1) };
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * One GET of a pod's Envoy-style admin API the way istioctl reaches it: a port-forward to the pod's
 * 15000 (admin listens on the pod's loopback only), here through a local listener on 127.0.0.1:0.
 */
export async function kubeAdminGet(kubeConfig: KubeConfig, proxyId: string, namespace: string, adminPath: string): Promise<unknown> {
  const target = podOf(proxyId, namespace);
  const forward = new PortForward(kubeConfig);
  const server = createServer((socket) => {
    forward.portForward(target.namespace, target.pod, [PROXY_ADMIN_PORT], socket, null, socket).catch(() => socket.destroy());
  });
  const http = new JsonHttp(`http://127.0.0.1:${await listen(server)}`);
  try {
    const res = await http.send('GET', adminPath);
    if (res.status !== 200) throw new Error(`admin answered ${res.status}`);
    return res.body;
  } catch (err) {
    throw new TrellisError(PROXY_ADMIN_UNREACHABLE, 'could not reach the proxy admin port through a port-forward', { pod: `${target.pod}.${target.namespace}`, port: PROXY_ADMIN_PORT }, { cause: err });
  } finally {
    await http.close();
    server.close();
  }
}
