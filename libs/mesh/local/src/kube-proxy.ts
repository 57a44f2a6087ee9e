/**
 * Local mode's kube-proxy, for pods without a sidecar: each Service gets a virtual IP on the stack's
 * loopback block (counting down from `.254`, pods count up from `.10`) and every Service port there
 * forwards TCP to a selected pod's target port, round robin — the pod's sidecar when it has one (so
 * its inbound listener, PeerAuthentication included, decides), else the app itself. As in a cluster,
 * resets pass through: a client whose plaintext a STRICT sidecar refuses sees its connection reset.
 * Sidecar pods do not use it: their apps send HTTP to the sidecar (`HTTP_PROXY`).
 */
import net from 'node:net';
import { TrellisError } from '@trellis/shared';
import type { MeshService } from '@trellis/mesh-api';
import type { LocalPlan, PodPlan } from './plan';

export interface KubeProxy {
  /** `namespace/name` → the Service's virtual IP. */
  readonly vips: ReadonlyMap<string, string>;
  /** `vip:port` left unbound: ports below 1024 when not root (EACCES), e.g. sleep's port 80. */
  readonly skipped: readonly string[];
  close(): Promise<void>;
}

export const serviceKey = (svc: { namespace: string; name: string }): string => `${svc.namespace}/${svc.name}`;

/** Each Service's virtual IP: `<block>.254`, `.253`, … in plan order; fails if they would meet the pods'. */
export function serviceVips(plan: LocalPlan): Map<string, string> {
  const block = plan.controlPlane.ip.slice(0, plan.controlPlane.ip.lastIndexOf('.'));
  const lowest = 254 - plan.services.length + 1;
  if (lowest <= 10 + plan.pods.length - 1) {
    throw new TrellisError('ADDRESS_BLOCK_FULL', 'too many pods and services for one /24', { pods: plan.pods.length, services: plan.services.length });
  }
  return new Map(plan.services.map((svc, i) => [serviceKey(svc), `${block}.${254 - i}`]));
}

const selects = (svc: MeshService, pod: PodPlan): boolean =>
  pod.namespace === svc.namespace && Object.entries(svc.selector).every(([k, v]) => pod.labels[k] === v);

function forward(client: net.Socket, endpoints: readonly { host: string; port: number }[], next: () => number): void {
  const target = endpoints[next() % Math.max(endpoints.length, 1)];
  if (target === undefined) {
    client.resetAndDestroy();
    return;
  }
  const upstream = net.connect(target);
  client.pipe(upstream).pipe(client);
  upstream.once('error', () => client.resetAndDestroy());
  client.once('error', () => upstream.destroy());
}

function listen(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(new TrellisError('PORT_IN_USE', 'port is not available', { host, port, reason: err.code ?? err.message })));
    server.listen({ host, port, exclusive: true }, () => resolve());
  });
}

/** Binds every Service port on its virtual IP. */
export async function startKubeProxy(plan: LocalPlan): Promise<KubeProxy> {
  const vips = serviceVips(plan);
  const servers: net.Server[] = [];
  const skipped: string[] = [];
  let counter = 0;
  const close = (): Promise<void> => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined);
  try {
    for (const svc of plan.services) {
      const pods = plan.pods.filter((p) => selects(svc, p));
      for (const port of svc.ports) {
        const endpoints = pods.map((p) => ({ host: p.ip, port: port.targetPort }));
        const server = net.createServer((client) => forward(client, endpoints, () => counter++));
        const vip = vips.get(serviceKey(svc)) ?? '';
        try {
          await listen(server, vip, port.port);
          servers.push(server);
        } catch (err) {
          if (port.port >= 1024 || (err as TrellisError).context['reason'] !== 'EACCES') throw err;
          skipped.push(`${vip}:${port.port}`);
        }
      }
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { vips, skipped, close };
}
