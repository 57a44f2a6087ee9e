import net from 'node:net';
import type { MeshService } from '@trellis/mesh-api';
import { serviceVips, startKubeProxy } from './kube-proxy';
import { GATEWAY_SERVICE } from './gateway-service';
import { toMeshService, type LocalPlan, type PodPlan } from './plan';
import { noSidecarHostsText } from './pod-hosts-nosidecar';

// The local kube-proxy on real loopback sockets: VIP:port → the selected pod's target port, resets passed on.
const BLOCK = `127.${100 + Math.floor(Math.random() * 150)}.${1 + Math.floor(Math.random() * 250)}`;
const svc = (name: string, namespace: string, port: number, targetPort: number): MeshService => ({
  name, namespace, hostname: `${name}.${namespace}.svc.cluster.local`, selector: { app: name }, ports: [{ name: 'http', port, targetPort, protocol: 'HTTP' }],
});
const pod = (name: string, namespace: string, host: number, sidecar: boolean): PodPlan => ({
  name: `${name}-x`, namespace, deployment: name, ip: `${BLOCK}.${host}`, labels: { app: name }, serviceAccount: name, app: name, env: {}, appEndpoints: {}, sidecar,
});
const planOf = (services: MeshService[], pods: PodPlan[]): LocalPlan => ({
  controlPlane: { ip: `${BLOCK}.1`, xdsPort: 15010, httpPort: 15014, caPort: 15012 },
  gateway: { ip: `${BLOCK}.2`, name: 'gw', namespace: 'istio-system', labels: {}, publish: [], service: toMeshService(GATEWAY_SERVICE, 'cluster.local') },
  services,
  pods,
});

function echoServer(host: string, port: number, onConnect: (s: net.Socket) => void): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer(onConnect);
    server.listen({ host, port }, () => resolve(server));
  });
}

function roundTrip(host: string, port: number, line: string): Promise<{ data: string; error?: string }> {
  return new Promise((resolve) => {
    let data = '';
    const s = net.connect({ host, port }, () => s.write(line));
    s.on('data', (d: Buffer) => {
      data += d.toString();
      s.end();
    });
    s.on('error', (err: NodeJS.ErrnoException) => resolve({ data, error: err.code ?? err.message }));
    s.on('close', () => resolve({ data }));
  });
}

describe('local kube-proxy', () => {
  const services = [svc('httpbin', 'foo', 28000, 28080), svc('httpbin', 'legacy', 28000, 28080)];
  const pods = [pod('httpbin', 'foo', 10, true), pod('httpbin', 'legacy', 11, false), pod('sleep', 'legacy', 12, false)];
  const plan = planOf(services, pods);

  it('gives each Service a VIP counting down from .254, and a no-sidecar pod hosts entries for them', () => {
    const vips = serviceVips(plan);
    expect([...vips]).toEqual([['foo/httpbin', `${BLOCK}.254`], ['legacy/httpbin', `${BLOCK}.253`]]);
    expect(noSidecarHostsText(pods[2] as PodPlan, services, vips).split('\n')).toEqual([
      '127.0.0.1\tlocalhost', `${BLOCK}.12\tsleep-x`,
      `${BLOCK}.254\thttpbin.foo httpbin.foo.svc httpbin.foo.svc.cluster.local`,
      `${BLOCK}.253\thttpbin httpbin.legacy httpbin.legacy.svc httpbin.legacy.svc.cluster.local`, '',
    ]);
  });

  it('refuses a block where VIPs would meet pod addresses', () => {
    const many = Array.from({ length: 244 }, (_, i) => pod(`p${i}`, 'default', 10 + i, true));
    expect(() => serviceVips(planOf(services, many.slice(1)))).not.toThrow();
    expect(() => serviceVips(planOf(services, many))).toThrow(expect.objectContaining({ code: 'ADDRESS_BLOCK_FULL' }));
  });

  it('forwards VIP:port to the pod target port, and passes a reset from the pod on to the client', async () => {
    const ok = await echoServer(`${BLOCK}.10`, 28080, (s) => s.on('data', (d: Buffer) => s.end(`foo:${d.toString()}`)));
    const resets = await echoServer(`${BLOCK}.11`, 28080, (s) => s.on('data', () => s.resetAndDestroy()));
    const proxy = await startKubeProxy(plan);
    try {
      expect(await roundTrip(`${BLOCK}.254`, 28000, 'hi')).toEqual({ data: 'foo:hi' });
      expect(await roundTrip(`${BLOCK}.253`, 28000, 'hi')).toEqual({ data: '', error: 'ECONNRESET' });
    } finally {
      await proxy.close();
      ok.close();
      resets.close();
    }
  });
});
