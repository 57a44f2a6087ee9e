/**
 * `trellis dashboard` against a cluster, as istioctl does it: the first pod matching the component's
 * selector in the Istio namespace (then `-n`), a local listener on `--address`:`--port` (else the UI port,
 * else any free port), every accepted connection port-forwarded to the pod's UI port, until interrupted.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { PortForward } from '@kubernetes/client-node';
import type { KubeList, KubePod } from '@trellis/mesh-kube';
import { TrellisError, errorMessage } from '@trellis/shared';
import type { KubeApi } from '../client/kube-api';

export const DASHBOARD_POD_NOT_FOUND = 'DASHBOARD_POD_NOT_FOUND';
export const PORT_FORWARD_FAILED = 'PORT_FORWARD_FAILED';

/** istioctl's inferPodMeta: the first pod matching `selector` in each namespace in turn. */
export async function inferPod(api: KubeApi, selector: string, namespaces: readonly string[]): Promise<{ name: string; namespace: string }> {
  for (const ns of [...new Set(namespaces)]) {
    const list = await api.request<KubeList<KubePod>>('GET', `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, { query: { labelSelector: selector } });
    const pod = list.items[0];
    if (pod !== undefined) return { name: pod.metadata.name, namespace: pod.metadata.namespace ?? ns };
  }
  throw new TrellisError(DASHBOARD_POD_NOT_FOUND, `no pods found with selector ${selector}`, { selector, namespaces: [...namespaces] });
}

/** The Kubernetes client rejects a failed port-forward with the WebSocket's ErrorEvent (`{ message, error }`), not an Error. */
export function forwardFailure(err: unknown): string {
  if (typeof err === 'object' && err !== null && !(err instanceof Error)) {
    const { message, error } = err as { message?: unknown; error?: unknown };
    if (typeof message === 'string' && message !== '') return message;
    if (error !== undefined) return errorMessage(error);
  }
  return errorMessage(err);
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export interface Forwarding {
  /** `localhost:9090`, as istioctl's fw.Address(). */
  readonly address: string;
  close(): void;
}

/** The part of the client's port-forward WebSocket (the `ws` package's) this file uses. */
interface ForwardSession {
  close(): void;
  terminate(): void;
  on(event: 'close', listener: () => void): unknown;
}

/**
 * One local connection's forward: the WebSocket closing ends the socket, the socket closing closes the
 * WebSocket, so neither outlives the other (nor the process after Ctrl-C).
 */
function pairSession(socket: Socket, session: ForwardSession, open: Set<ForwardSession>): void {
  if (socket.destroyed) return session.close();
  open.add(session);
  session.on('close', () => {
    open.delete(session);
    socket.end();
  });
  socket.on('close', () => session.close());
}

/** Listens on the first free port of `ports` and forwards each connection to `pod`:`remotePort`; close() ends them all. */
export async function forwardToPod(api: KubeApi, pod: { name: string; namespace: string }, remotePort: number, bind: string, ports: readonly number[], onError: (line: string) => void): Promise<Forwarding> {
  const forward = new PortForward(api.kubeConfig);
  const host = bind === 'localhost' ? '127.0.0.1' : bind;
  const sockets = new Set<Socket>();
  const sessions = new Set<ForwardSession>();
  let last: unknown;
  for (const port of ports) {
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      forward.portForward(pod.namespace, pod.name, [remotePort], socket, null, socket).then(
        (ws) => {
          const session = typeof ws === 'function' ? ws() : ws;
          if (session !== null) pairSession(socket, session, sessions);
        },
        (err: unknown) => {
          onError(`port-forward to ${pod.name}.${pod.namespace}:${remotePort} failed: ${forwardFailure(err)}`);
          socket.destroy();
        },
      );
    });
    try {
      const bound = await listen(server, host, port);
      const close = (): void => {
        server.close();
        for (const session of sessions) session.terminate();
        for (const socket of sockets) socket.destroy();
      };
      return { address: `${bind}:${bound}`, close };
    } catch (err) {
      last = err;
    }
  }
  throw new TrellisError(PORT_FORWARD_FAILED, `failure running port forward process: ${errorMessage(last)}`, { pod: `${pod.name}.${pod.namespace}` });
}
