import { labelsMatch, type MeshService, type MeshSnapshot, type Resource, type ServiceEntry, type VirtualService, type WorkloadInstance } from '@trellis/mesh-api';
import { resolveHost } from './hosts';
import { namespaceOf } from './order';
import { isExportedTo, serviceVisible } from './sidecar-scope';
import { deepEqual } from './deep-equal';

/**
 * What changed between two snapshots, as istiod's `ConfigsUpdated` scopes a push: a config or
 * registry change names the hosts it touches, so only the proxies that can reach them are
 * regenerated. Kinds not listed here (Sidecar, security and telemetry policy, EnvoyFilter,
 * MeshConfig, JWKS…) make the change `full`, as istiod pushes them to everyone.
 */
export interface SnapshotChange {
  /** Everything must be regenerated. */
  readonly full: boolean;
  /** Gateway proxies must be regenerated (Gateways, credentials, VirtualServices bound to gateways). */
  readonly routers: boolean;
  readonly hosts: readonly ChangedHost[];
  /** Namespaces whose services or workloads changed: their proxies' own (inbound, telemetry) resources are redone. */
  readonly namespaces: ReadonlySet<string>;
  /** A Service or ServiceEntry changed: every proxy's telemetry is redone (providers name services, istiod's LookupCluster). */
  readonly services: boolean;
}

/** A host a change touches: a route (VirtualService), a cluster policy (DestinationRule) or a service. */
export interface ChangedHost {
  readonly host: string;
  readonly kind: 'route' | 'policy' | 'service';
  /** The declaring object's namespace (VirtualService, Service, ServiceEntry, DestinationRule). */
  readonly namespace: string;
  /** Whether the old or the new object is visible from a namespace (exportTo). */
  readonly visibleFrom: (namespace: string) => boolean;
}

export const FULL_CHANGE: SnapshotChange = { full: true, routers: true, hosts: [], namespaces: new Set(), services: true };

type Keyed<T> = ReadonlyMap<string, T>;
type Exported = Resource<string, { exportTo?: string[] }>;

function byKey<T>(items: readonly T[], key: (t: T) => string): Keyed<T> {
  return new Map(items.map((i) => [key(i), i]));
}

/** Pairs [old, new] of the items that differ (added: old undefined; removed: new undefined). */
function changedPairs<T>(before: readonly T[], after: readonly T[], key: (t: T) => string): [T | undefined, T | undefined][] {
  if (before === after) return [];
  const a = byKey(before, key);
  const b = byKey(after, key);
  const out: [T | undefined, T | undefined][] = [];
  for (const [k, old] of a) if (!deepEqual(old, b.get(k))) out.push([old, b.get(k)]);
  for (const [k, now] of b) if (!a.has(k)) out.push([undefined, now]);
  return out;
}

const configKey = (r: Exported): string => `${namespaceOf(r)}/${r.metadata.name}`;
const registryKey = (r: { namespace: string; name: string }): string => `${r.namespace}/${r.name}`;

/** The snapshot fields this module scopes; any other field that differs makes the change full. */
const SCOPED_FIELDS = new Set(['revision', 'virtualServices', 'destinationRules', 'serviceEntries', 'services', 'workloads', 'gateways', 'credentials']);

export function diffSnapshots(before: MeshSnapshot, after: MeshSnapshot): SnapshotChange {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof MeshSnapshot>;
  for (const f of fields) if (!SCOPED_FIELDS.has(f) && before[f] !== after[f] && !deepEqual(before[f], after[f])) return FULL_CHANGE;
  const hosts: ChangedHost[] = [];
  const namespaces = new Set<string>();
  const vs = virtualServiceHosts(changedPairs(before.virtualServices, after.virtualServices, configKey), after);
  if (vs === undefined) return FULL_CHANGE;
  hosts.push(...vs.hosts);
  for (const pair of changedPairs(before.destinationRules, after.destinationRules, configKey)) hosts.push(...configHosts(pair, after, 'policy', (dr) => [dr.spec.host]));
  const entries = changedPairs(before.serviceEntries, after.serviceEntries, configKey);
  const services = changedPairs(before.services, after.services, registryKey);
  for (const pair of entries) {
    hosts.push(...configHosts(pair, after, 'service', (se: ServiceEntry) => se.spec.hosts));
    for (const se of pair) if (se?.spec.workloadSelector) namespaces.add(namespaceOf(se));
  }
  for (const [old, now] of services) {
    for (const s of [old, now]) if (s) namespaces.add(s.namespace);
    hosts.push(...[old, now].filter((s): s is MeshService => s !== undefined).map((s) => serviceHost(s, old, now, after)));
  }
  for (const pair of changedPairs(before.workloads, after.workloads, registryKey)) hosts.push(...workloadHosts(pair, before, after, namespaces));
  const routers = vs.routers || !deepEqual(before.gateways, after.gateways) || !deepEqual(before.credentials, after.credentials);
  return { full: false, routers, hosts, namespaces, services: entries.length + services.length > 0 };
}

function visibleEither(items: readonly (Exported | undefined)[], meshDefault: readonly string[] | undefined): (ns: string) => boolean {
  return (ns) => items.some((i) => i !== undefined && isExportedTo(i.spec.exportTo, namespaceOf(i), ns, meshDefault));
}

function configHosts<T extends Exported>(pair: [T | undefined, T | undefined], s: MeshSnapshot, kind: ChangedHost['kind'], hostsOf: (t: T) => readonly string[]): ChangedHost[] {
  const mesh = s.meshConfig;
  const meshDefault = kind === 'policy' ? mesh?.defaultDestinationRuleExportTo : kind === 'route' ? mesh?.defaultVirtualServiceExportTo : mesh?.defaultServiceExportTo;
  const visibleFrom = visibleEither(pair, meshDefault);
  return pair.flatMap((c) => (c === undefined ? [] : hostsOf(c).map((h) => ({ host: resolveHost(h, namespaceOf(c), s.domainSuffix), kind, namespace: namespaceOf(c), visibleFrom }))));
}

/** VirtualService hosts; a delegate (no hosts) is resolved through its parents: `undefined` = full. */
function virtualServiceHosts(pairs: [VirtualService | undefined, VirtualService | undefined][], s: MeshSnapshot): { hosts: ChangedHost[]; routers: boolean } | undefined {
  const hosts: ChangedHost[] = [];
  let routers = false;
  for (const pair of pairs) {
    if (pair.some((v) => v !== undefined && (v.spec.hosts ?? []).length === 0)) return undefined;
    routers ||= pair.some((v) => v !== undefined && (v.spec.gateways ?? []).some((g) => g !== 'mesh'));
    hosts.push(...configHosts(pair, s, 'route', (v) => v.spec.hosts ?? []));
  }
  return { hosts, routers };
}

function serviceHost(svc: MeshService, old: MeshService | undefined, now: MeshService | undefined, s: MeshSnapshot): ChangedHost {
  const visibleFrom = (ns: string): boolean => [old, now].some((x) => x !== undefined && serviceVisible(x, ns, s.meshConfig));
  return { host: svc.hostname, kind: 'service', namespace: svc.namespace, visibleFrom };
}

/** A workload's services (and workload-selecting ServiceEntries), before and after, whose endpoints it was or is. */
function workloadHosts(pair: [WorkloadInstance | undefined, WorkloadInstance | undefined], before: MeshSnapshot, after: MeshSnapshot, namespaces: Set<string>): ChangedHost[] {
  const out: ChangedHost[] = [];
  for (const w of pair) {
    if (w === undefined) continue;
    namespaces.add(w.namespace);
    for (const snap of [before, after]) {
      for (const svc of snap.services) if (svc.namespace === w.namespace && labelsMatch(svc.selector, w.labels)) out.push(serviceHost(svc, svc, undefined, snap));
      for (const se of snap.serviceEntries) {
        const sel = se.spec.workloadSelector?.labels;
        if (sel !== undefined && namespaceOf(se) === w.namespace && labelsMatch(sel, w.labels)) out.push(...configHosts([se, undefined], snap, 'service', (e) => e.spec.hosts));
      }
    }
  }
  return out;
}
