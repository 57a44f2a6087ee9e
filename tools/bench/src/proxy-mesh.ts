import type { ChildProcess } from 'node:child_process';
import { PROXY_NODE_RUNTIME } from '@trellis/mesh-local';
import { startApp, waitHttp } from './proc';
import { identityArgs } from './mesh-identity';

export interface BenchMesh {
  readonly gateway: ChildProcess;
  readonly client: ChildProcess;
  readonly server: ChildProcess;
}

interface MeshOptions {
  readonly block: string;
  readonly upstreamPort: number;
  readonly stateDir: string;
  /** Also a TCP path: a Gateway TCP server on `gatewayPort` → VirtualService tcp route → `bench-tcp` (port name `tcp`) at 127.0.0.1:`upstreamPort`. */
  readonly tcp?: { readonly gatewayPort: number; readonly upstreamPort: number };
  /** Istio mTLS: the control plane runs its CA (15012) and emits mTLS; every proxy gets a workload identity. Off: neither. */
  readonly mtls: boolean;
}

const TCP_SERVICE_PORT = 9000;

async function call(base: string, method: string, url: string, body: unknown): Promise<void> {
  const res = await fetch(base + url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
}

const service = (name: string, port = { name: 'http', port: 8080, targetPort: 8080, protocol: 'HTTP' }): unknown => ({
  name, namespace: 'default', hostname: `${name}.default.svc.cluster.local`, ports: [port], selector: { app: name },
});

/** Istio's TCP ingress shape (samples/tcp-echo): a TCP server on the gateway and a VirtualService `tcp` route bound to it. */
const tcpGatewayConfig = (gatewayPort: number): unknown[] => [
  { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'bench-tcp-gw' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: gatewayPort, name: 'tcp', protocol: 'TCP' }, hosts: ['*'] }] } },
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'bench-tcp' }, spec: { hosts: ['*'], gateways: ['bench-tcp-gw'], tcp: [{ match: [{ port: gatewayPort }], route: [{ destination: { host: 'bench-tcp', port: { number: TCP_SERVICE_PORT } } }] }] } },
];

const gatewayConfig = [
  { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'bench-gw' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] } },
  { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'bench' }, spec: { hosts: ['*'], gateways: ['bench-gw'], http: [{ route: [{ destination: { host: 'bench-raw', port: { number: 8080 } } }] }] } },
];

function proxy(o: MeshOptions, mode: string, host: number, pod: string, labels: Record<string, string>, extra: string[]): ChildProcess {
  const args = ['--mode', mode, '--xds-address', `${o.block}.1:15010`, '--ip', `${o.block}.${host}`, '--pod-name', pod, '--namespace', mode === 'router' ? 'istio-system' : 'default', '--labels', JSON.stringify(labels), '--interception', 'NONE', '--ops-bind', 'instance-ip', ...extra];
  // As local mode and the image run a proxy (node flags, malloc arenas): the RSS measured is theirs.
  return startApp('proxy', args, { ...PROXY_NODE_RUNTIME.env }, '0', PROXY_NODE_RUNTIME.nodeFlags);
}

/** Control plane + gateway + two sidecars: `bench` (behind a sidecar) and `bench-raw` (the bare upstream). */
export async function configureMesh(o: MeshOptions, children: ChildProcess[]): Promise<BenchMesh> {
  const base = `http://${o.block}.1:15014`;
  const security = o.mtls ? ['--mtls', 'on', '--ca-port', '15012'] : ['--mtls', 'off', '--ca-port', 'off'];
  children.push(startApp('control-plane', ['--host', `${o.block}.1`, '--state-dir', o.stateDir, ...security], {}, '0'));
  await waitHttp(`${base}/ready`);
  await call(base, 'PUT', '/api/v1/registry/services/default/bench', service('bench'));
  await call(base, 'PUT', '/api/v1/registry/services/default/bench-raw', service('bench-raw'));
  await call(base, 'PUT', '/api/v1/registry/workloads/default/bench-server', { name: 'bench-server', namespace: 'default', address: `${o.block}.11`, labels: { app: 'bench' }, serviceAccount: 'default', sidecar: true, ready: true });
  await call(base, 'PUT', '/api/v1/registry/workloads/default/bench-raw-0', { name: 'bench-raw-0', namespace: 'default', address: '127.0.0.1', ports: { '8080': o.upstreamPort }, labels: { app: 'bench-raw' }, serviceAccount: 'default', sidecar: false, ready: true });
  if (o.tcp) {
    await call(base, 'PUT', '/api/v1/registry/services/default/bench-tcp', service('bench-tcp', { name: 'tcp', port: TCP_SERVICE_PORT, targetPort: TCP_SERVICE_PORT, protocol: 'TCP' }));
    await call(base, 'PUT', '/api/v1/registry/workloads/default/bench-tcp-0', { name: 'bench-tcp-0', namespace: 'default', address: '127.0.0.1', ports: { [String(TCP_SERVICE_PORT)]: o.tcp.upstreamPort }, labels: { app: 'bench-tcp' }, serviceAccount: 'default', sidecar: false, ready: true });
  }
  await call(base, 'POST', '/api/v1/config/apply?namespace=default', { objects: [...gatewayConfig, ...(o.tcp ? tcpGatewayConfig(o.tcp.gatewayPort) : [])] });
  const id = async (pod: string, ns: string, sa: string): Promise<string[]> => (o.mtls ? identityArgs(o.stateDir, `${o.block}.1:15012`, pod, ns, sa) : []);
  const mesh: BenchMesh = {
    gateway: proxy(o, 'router', 2, 'istio-ingressgateway-bench', { istio: 'ingressgateway' }, await id('istio-ingressgateway-bench', 'istio-system', 'default')),
    client: proxy(o, 'sidecar', 10, 'bench-client', { app: 'bench-client' }, await id('bench-client', 'default', 'default')),
    server: proxy(o, 'sidecar', 11, 'bench-server', { app: 'bench' }, ['--app-endpoints', `8080=127.0.0.1:${o.upstreamPort}`, ...(await id('bench-server', 'default', 'default'))]),
  };
  children.push(mesh.gateway, mesh.client, mesh.server);
  for (const host of [2, 10, 11]) await waitHttp(`http://${o.block}.${host}:15021/healthz/ready`);
  return mesh;
}
