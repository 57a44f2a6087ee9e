/**
 * Control-plane benchmark: P simulated proxies (real ADS streams that ACK; they read version, type
 * and nonce and skip the resources' bytes, see scanResponse) × S services. Measures initial convergence and, per config
 * change, the time from `apply` until every proxy has received (and ACKed) the new RDS — p50/p99
 * across proxies — plus control-plane CPU and RSS.
 *   node tools/bench/run.mjs control-plane --proxies 1000 --services 500 --changes 5 [--scoped [--namespaces 10]]
 * `--scoped`: Sidecar-scoped namespaces (control-plane-mesh.ts); only the changed service's namespace is waited for.
 * `--delta`: the simulated proxies speak DeltaAggregatedResources (control-plane-delta.ts) instead of SotW,
 *   announcing VHDS (route changes waited for on VirtualHost responses) unless `--no-vhds`.
 * `--endpoint-change`: each change moves one workload (an EDS change) instead of applying a VirtualService; waits for EDS.
 */
import * as grpc from '@grpc/grpc-js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adsServiceDefinition, TYPE_URLS, type DiscoveryRequest, type DiscoveryResponse } from '@trellis/mesh-xds';
import { cpuMicros, percentile, rssMb, startApp, stopAll, waitHttp } from './proc';
import { clusterNamesFor, namespaceOf, NAMESPACES, SCOPED, sidecars, virtualService } from './control-plane-mesh';
import { DeltaSimProxy, ENDPOINT_CHANGE, endpointMove, scanStrings, simNode, VHDS } from './control-plane-delta';
import { connectH2 } from './control-plane-h2';

const DELTA = process.argv.includes('--delta');

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PROXIES = arg('proxies', 100);
const SERVICES = arg('services', 100);
const CHANGES = arg('changes', 5);
const CP = '127.0.0.1';
/** `--port N`: xDS on N, HTTP on N+4 (default 25910), so two benches on one machine need not collide. */
const XDS_PORT = arg('port', 25910);
const HTTP_PORT = XDS_PORT + 4;
const base = `http://${CP}:${HTTP_PORT}`;
/** The simulated proxies' HTTP/2 windows are Envoy's defaults (256 MiB stream and connection windows). */
const ENVOY_LIKE_CHANNEL = { 'grpc.max_receive_message_length': 256 * 1024 * 1024, 'grpc-node.flow_control_window': 256 * 1024 * 1024 };

async function call(method: string, url: string, body: unknown): Promise<void> {
  const res = await fetch(base + url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
}

async function registerServices(): Promise<void> {
  for (let i = 0; i < SERVICES; i++) {
    const name = `svc-${i}`;
    const namespace = namespaceOf(i);
    await call('PUT', `/api/v1/registry/services/${namespace}/${name}`, {
      name, namespace, hostname: `${name}.${namespace}.svc.cluster.local`,
      ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' }], selector: { app: name },
    });
    for (const v of ['v1', 'v2']) {
      await call('PUT', `/api/v1/registry/workloads/${namespace}/${name}-${v}`, {
        name: `${name}-${v}`, namespace, address: `10.${(i >> 8) & 255}.${i & 255}.${v === 'v1' ? 1 : 2}`,
        labels: { app: name, version: v }, serviceAccount: 'default', sidecar: true, ready: true,
      });
    }
  }
}

/**
 * What a simulated proxy reads of a DiscoveryResponse: version (1), type URL (4) and nonce (5); the
 * resources (2) are skipped unread. 1000 simulated decoders on the control plane's 2-core machine
 * would otherwise measure themselves: real proxies decode on their own CPUs.
 */
function scanResponse(b: Buffer): DiscoveryResponse {
  const fields = scanStrings(b, [2]);
  return { version_info: fields[1] ?? '', type_url: fields[4] ?? '', nonce: fields[5] ?? '', resources: [] };
}

/** One simulated sidecar: subscribes like Envoy, ACKs everything, records when each RDS version arrived. */
class SimProxy {
  readonly rds = new Map<string, number>();
  readonly types = 4;
  readonly eds = new Map<string, number>();
  readonly seen = new Set<string>();
  /** DiscoveryResponse bytes received. */
  bytes = 0;
  private readonly call: grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponse>;

  constructor(client: grpc.Client, readonly index: number, clusterNames: string[], readonly namespace = 'default') {
    const node = simNode(index, namespace);
    this.call = client.makeBidiStreamRequest(
      adsServiceDefinition()['StreamAggregatedResources']!.path,
      (r: DiscoveryRequest) => adsServiceDefinition()['StreamAggregatedResources']!.requestSerialize(r),
      (b: Buffer) => {
        this.bytes += b.length;
        return scanResponse(b);
      },
    );
    this.call.on('data', (res: DiscoveryResponse) => {
      this.seen.add(res.type_url);
      if (res.type_url === TYPE_URLS.RDS) this.rds.set(res.version_info, performance.now());
      if (res.type_url === TYPE_URLS.EDS) this.eds.set(res.version_info, performance.now());
      // SotW: every request repeats the full subscription (an empty EDS/RDS list would unsubscribe).
      const names = res.type_url === TYPE_URLS.EDS ? clusterNames : res.type_url === TYPE_URLS.RDS ? ['9080'] : [];
      this.call.write({ type_url: res.type_url, version_info: res.version_info, response_nonce: res.nonce, resource_names: names });
    });
    this.call.on('error', () => undefined);
    this.call.write({ node, type_url: TYPE_URLS.CDS });
    this.call.write({ type_url: TYPE_URLS.LDS });
    this.call.write({ type_url: TYPE_URLS.EDS, resource_names: clusterNames });
    this.call.write({ type_url: TYPE_URLS.RDS, resource_names: ['9080'] });
  }

  close(): void {
    this.call.end();
  }
}

async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * With BENCH_CPU_PROF, the phase boundaries (CLOCK_MONOTONIC µs, the clock of V8's profile
 * timestamps) go to <dir>/phases.json, so `tools/bench/cpuprofile-top.mjs --phase` can cut the profile.
 */
const phases: Record<string, number> = {};
function phase(name: string): void {
  const dir = process.env['BENCH_CPU_PROF'];
  if (dir === undefined) return;
  phases[name] = Number(process.hrtime.bigint() / 1000n);
  writeFileSync(path.join(dir, 'phases.json'), JSON.stringify(phases) + '\n');
}

async function main(): Promise<void> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'trellis-bench-cp-'));
  const cp = startApp('control-plane', ['--host', CP, '--xds-port', String(XDS_PORT), '--http-port', String(HTTP_PORT), '--state-dir', stateDir], {}, '0');
  try {
    await waitHttp(`${base}/ready`);
    await registerServices();
    for (const sc of sidecars()) await call('POST', `/api/v1/config/apply?namespace=${sc.metadata.namespace}`, { objects: [sc] });
    const clusterNames = new Map(Array.from({ length: NAMESPACES }, (_, n) => [namespaceOf(n), clusterNamesFor(namespaceOf(n), SERVICES)]));
    const connections = Math.max(1, Math.ceil(PROXIES / 100));
    const channels = DELTA ? [] : Array.from({ length: connections }, () => new grpc.Client(`${CP}:${XDS_PORT}`, grpc.credentials.createInsecure(), ENVOY_LIKE_CHANNEL));
    const sessions = DELTA ? Array.from({ length: connections }, () => connectH2(CP, XDS_PORT)) : [];
    const t0 = performance.now();
    const cpuAtConnect = cpuMicros(cp.pid!);
    const simCpuAtConnect = process.cpuUsage();
    phase('connect');
    const proxies = Array.from({ length: PROXIES }, (_, i) => {
      const names = clusterNames.get(namespaceOf(i))!;
      return DELTA ? new DeltaSimProxy(sessions[i % connections]!, i, names, namespaceOf(i)) : new SimProxy(channels[i % connections]!, i, names, namespaceOf(i));
    });
    await until(() => proxies.every((p) => p.seen.size === p.types), 300_000, 'initial config');
    const initialMs = performance.now() - t0;
    const initialKb = proxies.reduce((sum, p) => sum + p.bytes, 0) / 1024;
    // The control plane's own CPU for it: wall time also waits on the simulated proxies and the machine's load.
    const initialCpuMs = (cpuMicros(cp.pid!) - cpuAtConnect) / 1000;
    // The simulated proxies' own CPU meanwhile (user + system): they share the machine's cores.
    const simCpu = process.cpuUsage(simCpuAtConnect);
    const initialSimCpuMs = (simCpu.user + simCpu.system) / 1000;
    phase('changes');
    const rssAfterConnect = rssMb(cp.pid!);
    const results: number[][] = [];
    let pushed = 0;
    let bytes = 0;
    const cpuBefore = cpuMicros(cp.pid!);
    const watched = (p: SimProxy | DeltaSimProxy): Map<string, number> => (ENDPOINT_CHANGE ? p.eds : p.rds);
    for (let c = 0; c < CHANGES; c++) {
      const versions = proxies.map((p) => watched(p).size);
      const bytesBefore = proxies.reduce((sum, p) => sum + p.bytes, 0);
      const change = ENDPOINT_CHANGE ? endpointMove(c, SERVICES, namespaceOf) : virtualService(c, 10 + c, SERVICES);
      // The proxies that can reach the changed service: its namespace when scoped, all otherwise.
      const affected = proxies.filter((p) => p.namespace === change.namespace);
      const start = performance.now();
      if ('workload' in change) await call('PUT', change.url, change.workload);
      else await call('POST', `/api/v1/config/apply?namespace=${change.namespace}`, { objects: [change.object] });
      await until(() => affected.every((p) => watched(p).size > versions[p.index]!), 120_000, `change ${c}`);
      results.push(affected.map((p) => [...watched(p).values()].pop()! - start).sort((a, b) => a - b));
      await new Promise((r) => setTimeout(r, 200));
      pushed += proxies.filter((p) => watched(p).size > versions[p.index]!).length;
      bytes += proxies.reduce((sum, p) => sum + p.bytes, 0) - bytesBefore;
    }
    const cpuMs = (cpuMicros(cp.pid!) - cpuBefore) / 1000;
    phase('end');
    const all = results.flat().sort((a, b) => a - b);
    const row = {
      mesh: SCOPED ? `scoped (${NAMESPACES} namespaces)` : 'unscoped', xds: DELTA ? (VHDS ? 'delta+vhds' : 'delta') : 'sotw', change: ENDPOINT_CHANGE ? 'endpoint' : 'virtualservice', proxies: PROXIES, services: SERVICES, initialConvergeMs: Math.round(initialMs), initialCpuMs: Math.round(initialCpuMs), initialSimCpuMs: Math.round(initialSimCpuMs), kbInitialPerProxy: Math.round(initialKb / PROXIES),
      changeP50Ms: Math.round(percentile(all, 50)), changeP99Ms: Math.round(percentile(all, 99)), changeMaxMs: Math.round(all[all.length - 1]!),
      changeP99ByChangeMs: results.map((r) => Math.round(percentile(r, 99))),
      cpuMsPerChange: Math.round(cpuMs / CHANGES), proxiesPushedPerChange: Math.round(pushed / CHANGES), kbSentPerChange: Math.round(bytes / CHANGES / 1024), rssMb: Math.round(Math.max(rssAfterConnect, rssMb(cp.pid!))),
    };
    process.stdout.write(JSON.stringify(row) + '\n');
    proxies.forEach((p) => p.close());
    channels.forEach((ch) => ch.close());
    sessions.forEach((s) => s.close());
  } finally {
    await stopAll([cp]);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
