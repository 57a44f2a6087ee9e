/**
 * Bookinfo (productpage, details, reviews-v2, ratings) as four pods with iptables capture and a
 * sidecar each, plus the control plane in the bridge namespace. Services get VIPs that only the
 * outbound capture sees; workloads are registered at their pod IPs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeIdentities } from './identities';
import { dualServer, echoServer, tlsServer } from './servers';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_CAPTURE_OPTIONS, captureScript } from '@trellis/mesh-inject';
import { type Pod, Topology } from './netns';
import { type NsRequest, nsHttp } from './ns-http';

export const ROOT = path.resolve(__dirname, '../../..');
export const APP_PORT = 9080;
export const PROXY_UID = DEFAULT_CAPTURE_OPTIONS.proxyUid;
const XDS_PORT = 15010;
/** The control plane's CA (istiod's 15012; on by default when xDS is on Istio's 15010). */
const CA_PORT = 15012;
const CP_HTTP_PORT = 15014;
const NAMESPACE = 'default';

interface PodSpec {
  readonly name: string;
  readonly app: string;
  readonly version: string;
  readonly env: Record<string, string>;
}

export const POD_SPECS: readonly PodSpec[] = [
  { name: 'productpage-v1', app: 'productpage', version: 'v1', env: {} },
  { name: 'details-v1', app: 'details', version: 'v1', env: {} },
  { name: 'reviews-v2', app: 'reviews', version: 'v2', env: { SERVICE_VERSION: 'v2', ENABLE_RATINGS: 'true', STAR_COLOR: 'black' } },
  { name: 'ratings-v1', app: 'ratings', version: 'v1', env: {} },
];

/**
 * A TCP service (port name `tcp`): an echo server that greets with `hello ` behind its own sidecar; its
 * second port is undeclared (`autoPort`, Istio's auto protocol) and served by one server that speaks
 * HTTP to HTTP clients and echoes anything else.
 */
export const TCP_ECHO = { name: 'tcp-echo-v1', app: 'tcp-echo', version: 'v1', port: 9000, autoPort: 9001 } as const;
/** A TCP server in the bridge namespace that no Service declares: reached through PassthroughCluster. */
export const EGRESS_ECHO_PORT = 9999;

/** External HTTPS hosts (the bridge namespace, port 443): one a ServiceEntry declares, one nothing declares. */
export const EXTERNAL_TLS = { declared: 'api.example.com', undeclared: 'other.example.com', port: 443 } as const;

export const fqdn = (service: string): string => `${service}.${NAMESPACE}.svc.cluster.local`;
export const outboundCluster = (service: string): string => `outbound|${APP_PORT}||${fqdn(service)}`;
export const INBOUND_CLUSTER = `inbound|${APP_PORT}||`;

const main = (app: string): string => path.join(ROOT, 'dist/apps', app, 'main.js');
const baseEnv = (): Record<string, string> => ({ PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', LOG_LEVEL: 'warn' });

export class CaptureMesh {
  readonly topo = new Topology();
  private readonly stateDir = mkdtempSync(path.join(tmpdir(), 'trellis-capture-'));
  /** Milestones (ms since start) for the report. */
  readonly timings: Record<string, number> = {};
  readonly startedAt = Date.now();

  private mark(name: string): void {
    this.timings[name] = Date.now() - this.startedAt;
  }

  get cpUrl(): string {
    return `http://${this.topo.bridgeIp}:${CP_HTTP_PORT}`;
  }

  /** Namespaces, veths, hosts files (service name → VIP in every pod). */
  async createNetwork(): Promise<void> {
    await this.topo.createBridge();
    const hosts = Object.fromEntries(POD_SPECS.map((s, i) => [s.app, this.topo.vip(i)]));
    hosts[TCP_ECHO.app] = this.tcpEchoVip;
    hosts[EXTERNAL_TLS.declared] = this.topo.bridgeIp;
    hosts[EXTERNAL_TLS.undeclared] = this.topo.bridgeIp;
    for (const spec of POD_SPECS) await this.topo.addPod(spec.name, hosts);
    await this.topo.addPod(TCP_ECHO.name, hosts);
    this.mark('network');
  }

  /** The control plane in the bridge namespace, then every Service (VIP) and workload (pod IP). */
  async startControlPlane(): Promise<void> {
    const t = this.topo;
    t.start('control-plane', t.bridgeNs, [
      process.execPath,
      main('control-plane'),
      ...['--host', t.bridgeIp, '--xds-port', String(XDS_PORT), '--http-port', String(CP_HTTP_PORT), '--state-dir', this.stateDir],
      ...['--debounce-quiet', '20', '--debounce-max', '500'],
    ], baseEnv());
    const [ready] = await nsHttp(t, t.bridgeNs, [{ url: `${this.cpUrl}/ready` }], 10_000);
    if (ready?.status !== 200) throw new Error(`control plane not ready: ${JSON.stringify(ready)}\n${t.logs()}`);
    const puts: NsRequest[] = POD_SPECS.flatMap((s, i) => [
      {
        url: `${this.cpUrl}/api/v1/registry/services/${NAMESPACE}/${s.app}`,
        method: 'PUT',
        body: {
          name: s.app,
          namespace: NAMESPACE,
          hostname: fqdn(s.app),
          ports: [{ name: 'http', port: APP_PORT, targetPort: APP_PORT, protocol: 'HTTP' }],
          selector: { app: s.app },
          address: t.vip(i),
        },
      },
      {
        url: `${this.cpUrl}/api/v1/registry/workloads/${NAMESPACE}/${s.name}`,
        method: 'PUT',
        body: {
          name: s.name,
          namespace: NAMESPACE,
          address: t.pod(s.name).ip,
          labels: { app: s.app, version: s.version },
          serviceAccount: `bookinfo-${s.app}`,
          sidecar: true,
          ready: true,
        },
      },
    ]);
    puts.push(...this.tcpEchoRegistration());
    const answers = await nsHttp(t, t.bridgeNs, puts);
    const bad = answers.filter((a) => a.status < 200 || a.status > 299);
    if (bad.length > 0) throw new Error(`registration failed: ${JSON.stringify(bad)}`);
    await writeIdentities(this.stateDir, NAMESPACE, [...POD_SPECS.map((p) => p.app), TCP_ECHO.app]);
    this.mark('controlPlane');
  }

  /** In every pod: the generated capture script (real iptables), the app as root, the proxy as uid 1337. */
  async startPods(): Promise<void> {
    const script = captureScript(DEFAULT_CAPTURE_OPTIONS);
    for (const spec of POD_SPECS) {
      const pod = this.topo.pod(spec.name);
      const r = await this.topo.exec(pod.ns, ['sh', '-s'], script);
      if (r.code !== 0) throw new Error(`capture script failed in ${pod.ns} (${r.code}): ${r.stderr}`);
      this.startApp(spec, pod);
      this.startProxy(spec, pod);
    }
    const echo = this.topo.pod(TCP_ECHO.name);
    const r = await this.topo.exec(echo.ns, ['sh', '-s'], script);
    if (r.code !== 0) throw new Error(`capture script failed in ${echo.ns} (${r.code}): ${r.stderr}`);
    this.topo.start(`${TCP_ECHO.name}/app`, echo.ns, [process.execPath, '-e', echoServer(TCP_ECHO.port, 'hello ')], baseEnv());
    this.topo.start(`${TCP_ECHO.name}/auto`, echo.ns, [process.execPath, '-e', dualServer(TCP_ECHO.autoPort)], baseEnv());
    this.startProxy({ name: TCP_ECHO.name, app: TCP_ECHO.app, version: TCP_ECHO.version, env: {} }, echo);
    this.topo.start('egress-echo', this.topo.bridgeNs, [process.execPath, '-e', echoServer(EGRESS_ECHO_PORT, 'egress ')], baseEnv());
    this.topo.start('external-tls', this.topo.bridgeNs, [process.execPath, '-e', tlsServer(this.stateDir, EXTERNAL_TLS.declared, EXTERNAL_TLS.port)], baseEnv());
    this.mark('podsStarted');
  }

  /** Every sidecar's http://<podIP>:15021/healthz/ready answers 200 (asked from the bridge namespace). */
  async waitReady(timeoutMs: number): Promise<void> {
    const urls = this.topo.pods.map((p) => ({ url: `http://${p.ip}:15021/healthz/ready` }));
    const answers = await nsHttp(this.topo, this.topo.bridgeNs, urls, timeoutMs);
    const bad = answers.filter((a) => a.status !== 200);
    if (bad.length > 0) throw new Error(`sidecars not ready: ${JSON.stringify(bad)}\n${this.topo.logs()}`);
    this.mark('proxiesReady');
  }

  /** The tcp-echo Service's VIP (after the Bookinfo ones). */
  get tcpEchoVip(): string {
    return this.topo.vip(POD_SPECS.length);
  }

  private tcpEchoRegistration(): NsRequest[] {
    return [
      {
        url: `${this.cpUrl}/api/v1/registry/services/${NAMESPACE}/${TCP_ECHO.app}`,
        method: 'PUT',
        body: {
          name: TCP_ECHO.app,
          namespace: NAMESPACE,
          hostname: fqdn(TCP_ECHO.app),
          ports: [
            { name: 'tcp', port: TCP_ECHO.port, targetPort: TCP_ECHO.port, protocol: 'TCP' },
            { name: 'web', port: TCP_ECHO.autoPort, targetPort: TCP_ECHO.autoPort, protocol: 'AUTO' },
          ],
          selector: { app: TCP_ECHO.app },
          address: this.tcpEchoVip,
        },
      },
      {
        url: `${this.cpUrl}/api/v1/registry/workloads/${NAMESPACE}/${TCP_ECHO.name}`,
        method: 'PUT',
        body: {
          name: TCP_ECHO.name,
          namespace: NAMESPACE,
          address: this.topo.pod(TCP_ECHO.name).ip,
          labels: { app: TCP_ECHO.app, version: TCP_ECHO.version },
          serviceAccount: `bookinfo-${TCP_ECHO.app}`,
          sidecar: true,
          ready: true,
        },
      },
    ];
  }

  /** Istio config through the control plane's config API (what `trellis apply -f` does). */
  async applyConfig(objects: unknown[]): Promise<void> {
    const [r] = await nsHttp(this.topo, this.topo.bridgeNs, [{ url: `${this.cpUrl}/api/v1/config/apply?namespace=${NAMESPACE}`, method: 'POST', body: { objects } }]);
    if (r === undefined || r.status < 200 || r.status > 299) throw new Error(`apply failed: ${JSON.stringify(r)}`);
  }

  /** The listeners a proxy has (admin /config_dump). */
  async listenerNames(podName: string): Promise<string[]> {
    const [r] = await nsHttp(this.topo, this.topo.pod(podName).ns, [{ url: 'http://127.0.0.1:15000/config_dump' }]);
    const dump = JSON.parse(r?.body ?? '{}') as { configs?: { dynamic_listeners?: { name?: string }[] }[] };
    return (dump.configs ?? []).flatMap((c) => (c.dynamic_listeners ?? []).map((l) => l.name ?? ''));
  }

  /** A proxy's admin /stats, read inside its pod: admin listens on 127.0.0.1 only, as Istio's does. */
  async stats(podName: string): Promise<string> {
    const [r] = await nsHttp(this.topo, this.topo.pod(podName).ns, [{ url: 'http://127.0.0.1:15000/stats' }]);
    if (r?.status !== 200) throw new Error(`stats of ${podName}: ${JSON.stringify(r)}`);
    return r.body;
  }

  async destroy(): Promise<void> {
    await this.topo.destroy();
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  private startApp(spec: PodSpec, pod: Pod): void {
    const env = { ...baseEnv(), ...spec.env, HOST: '0.0.0.0', PORT: String(APP_PORT), HOSTNAME: spec.name };
    this.topo.start(`${spec.name}/app`, pod.ns, [process.execPath, main(spec.app)], env);
  }

  private startProxy(spec: PodSpec, pod: Pod): void {
    const uid = String(PROXY_UID);
    this.topo.start(`${spec.name}/istio-proxy`, pod.ns, [
      ...['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--clear-groups'],
      process.execPath,
      main('proxy'),
      ...['--mode', 'sidecar', '--xds-address', `${this.topo.bridgeIp}:${XDS_PORT}`, '--ip', pod.ip, '--pod-name', spec.name],
      ...['--namespace', NAMESPACE, '--labels', JSON.stringify({ app: spec.app, version: spec.version })],
      ...['--service-account', `bookinfo-${spec.app}`, '--interception', 'REDIRECT', '--drain-ms', '200'],
      ...['--ca-address', `${this.topo.bridgeIp}:${CA_PORT}`, '--ca-root-cert', path.join(this.stateDir, 'identities', 'root-cert.pem')],
      ...['--token-file', path.join(this.stateDir, 'identities', `${spec.app}.token`)],
    ], { ...baseEnv(), LOG_LEVEL: 'info' });
  }
}
