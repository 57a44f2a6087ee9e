import type { XdsType } from './envoy-types';

export interface StoredResource {
  readonly name: string;
  readonly resource: object;
  readonly version: string;
  readonly lastUpdated: string;
}

/** The raw resources in force, per type and name (for /config_dump). LDS/CDS replace, RDS/EDS upsert. */
export class ConfigStore {
  private readonly byType: Record<XdsType, Map<string, StoredResource>> = {
    CDS: new Map(),
    EDS: new Map(),
    LDS: new Map(),
    RDS: new Map(),
    // SDS secrets are not kept raw (their keys): the secret provider dumps them redacted.
    SDS: new Map(),
  };
  private readonly applied = new Set<XdsType>();

  record(type: XdsType, resources: readonly object[], names: readonly string[], version: string): void {
    const map = this.byType[type];
    if (type === 'LDS' || type === 'CDS') map.clear();
    const lastUpdated = new Date().toISOString();
    resources.forEach((resource, i) => map.set(names[i], { name: names[i], resource, version, lastUpdated }));
    this.applied.add(type);
  }

  wasApplied(type: XdsType): boolean {
    return this.applied.has(type);
  }

  list(type: XdsType): StoredResource[] {
    return [...this.byType[type].values()];
  }
}
