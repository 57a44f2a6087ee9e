import { DEFAULT_DOMAIN_SUFFIX, hostCandidates, toFqdn } from '../match/hosts';
import type { MeshService, ServiceEntry } from '../types';

/** Does `pattern` (possibly `*.example.com` or `*`) cover `host`? */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host || pattern === '*') return true;
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1));
}

/** Istio exportTo semantics: unset or `*` = every namespace, `.` = own namespace, else the listed ones. */
export function isVisible(exportTo: readonly string[] | undefined, owner: string, from: string): boolean {
  if (exportTo === undefined || exportTo.length === 0) return true;
  return exportTo.some((e) => e === '*' || (e === '.' && owner === from) || e === from);
}

export interface KnownHost {
  host: string;
  ports: number[];
}

interface Entry extends KnownHost {
  owner: string;
  exportTo?: readonly string[];
}

/** Every host the registry and the ServiceEntries define, with its ports. */
export class HostIndex {
  private readonly entries: Entry[] = [];

  constructor(
    services: readonly MeshService[],
    serviceEntries: readonly ServiceEntry[],
    private readonly domainSuffix = DEFAULT_DOMAIN_SUFFIX,
  ) {
    for (const s of services) {
      // A Service's `networking.istio.io/exportTo` annotation (`~`: seen from nowhere).
      this.entries.push({ host: s.hostname, ports: s.ports.map((p) => p.port), owner: s.namespace, exportTo: s.exportTo });
    }
    for (const se of serviceEntries) {
      const owner = se.metadata.namespace ?? 'default';
      const ports = (se.spec.ports ?? []).map((p) => p.number);
      for (const h of se.spec.hosts ?? []) {
        this.entries.push({ host: toFqdn(h, owner, domainSuffix), ports, owner, exportTo: se.spec.exportTo });
      }
    }
  }

  /** The definition of `host` as seen from `namespace`, if any. */
  find(host: string, namespace: string): KnownHost | undefined {
    const candidates = hostCandidates(host, namespace, this.domainSuffix);
    const visible = this.entries.filter((e) => isVisible(e.exportTo, e.owner, namespace));
    return (
      visible.find((e) => candidates.includes(e.host)) ??
      visible.find((e) => candidates.some((c) => hostMatches(e.host, c)))
    );
  }
}
