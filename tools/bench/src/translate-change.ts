/**
 * In-process: what one config change costs the translator (no gRPC). P proxies × S services,
 * one VirtualService change per round; reports ms to regenerate every proxy and to encode the
 * resources that are new objects (what the ADS server would re-encode).
 *   node tools/bench/run.mjs translate-change --proxies 1000 --services 500 --changes 5 [--scoped]
 */
import { defaultMeshConfig, emptySnapshot, type MeshService, type MeshSnapshot, type ProxyInfo, type Sidecar, type VirtualService, type WorkloadInstance } from '@trellis/mesh-api';
import { createTranslator, type XdsResources } from '@trellis/mesh-translate';
import { packResource, TYPE_URLS } from '@trellis/mesh-xds';
import { namespaceOf, sidecars, virtualService } from './control-plane-mesh';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const PROXIES = arg('proxies', 1000);
const SERVICES = arg('services', 500);
const CHANGES = arg('changes', 5);

function base(): MeshSnapshot {
  const services: MeshService[] = [];
  const workloads: WorkloadInstance[] = [];
  for (let i = 0; i < SERVICES; i++) {
    const ns = namespaceOf(i);
    services.push({ name: `svc-${i}`, namespace: ns, hostname: `svc-${i}.${ns}.svc.cluster.local`, ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' }], selector: { app: `svc-${i}` } });
    for (const v of ['v1', 'v2']) workloads.push({ name: `svc-${i}-${v}`, namespace: ns, address: `10.${(i >> 8) & 255}.${i & 255}.${v === 'v1' ? 1 : 2}`, labels: { app: `svc-${i}`, version: v }, serviceAccount: 'default', sidecar: true, ready: true });
  }
  return { ...emptySnapshot(), services, workloads, sidecars: sidecars() as Sidecar[], meshConfig: defaultMeshConfig() };
}

const proxies: ProxyInfo[] = Array.from({ length: PROXIES }, (_, i) => ({
  id: `sidecar~10.200.${(i >> 8) & 255}.${i & 255}~client-${i}.${namespaceOf(i)}~${namespaceOf(i)}.svc.cluster.local`,
  type: 'sidecar', ipAddress: `10.200.${(i >> 8) & 255}.${i & 255}`, workloadName: `client-${i}`, namespace: namespaceOf(i), labels: { app: `client-${i}` }, interception: 'REDIRECT',
}));

const encoded = new WeakSet<object>();
function encode(all: XdsResources): number {
  let n = 0;
  const lists: [string, readonly object[]][] = [[TYPE_URLS.CDS, all.clusters], [TYPE_URLS.EDS, all.endpoints], [TYPE_URLS.LDS, all.listeners], [TYPE_URLS.RDS, all.routes]];
  for (const [url, list] of lists) for (const r of list) if (!encoded.has(r)) { encoded.add(r); packResource(url, r as never); n++; }
  return n;
}

const translate = createTranslator({});
let snapshot = base();
/** CPU ms of this process (the machine may be shared: wall time would measure the others too). */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let t = cpuMs();
proxies.forEach((p) => encode(translate(snapshot, p)));
process.stdout.write(`initial: ${Math.round(cpuMs() - t)} ms CPU\n`);
const gens: number[] = [];
const encs: number[] = [];
for (let c = 0; c < CHANGES; c++) {
  const vs = virtualService(c, 10 + c, SERVICES).object as VirtualService;
  snapshot = { ...snapshot, revision: snapshot.revision + 1, virtualServices: [...snapshot.virtualServices.filter((v) => v.metadata.name !== vs.metadata.name || v.metadata.namespace !== vs.metadata.namespace), vs] };
  t = cpuMs();
  const results = new Set<XdsResources>();
  for (const p of proxies) results.add(translate(snapshot, p));
  const gen = cpuMs() - t;
  let n = 0;
  for (const r of results) n += encode(r);
  gens.push(gen);
  encs.push(cpuMs() - t - gen);
  process.stdout.write(`change ${c}: generate ${Math.round(gen)} ms CPU, ${results.size} distinct results, encode ${n} new resources ${Math.round(encs[c]!)} ms CPU\n`);
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
process.stdout.write(`median per change: generate ${Math.round(median(gens))} ms CPU, encode ${Math.round(median(encs))} ms CPU\n`);
