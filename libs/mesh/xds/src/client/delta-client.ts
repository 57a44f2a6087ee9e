import { DELTA_ADS_METHOD_PATH, type DeltaDiscoveryRequest, type DeltaDiscoveryResponse } from '../proto/delta-types';
import { readDeltaDiscoveryResponse, writeDeltaDiscoveryRequest } from '../proto/delta-wire';
import { decodeAnyValue } from '../proto/wire-decode';
import { perType, PUSH_ORDER, TYPE_URLS, typeShortOf, type XdsTypeShort } from '../proto/type-urls';
import type { XdsResource } from '../resources';
import { AdsClientCore, INVALID_ARGUMENT, NAMED_TYPES, type AdsClientOptions, type NamedType } from './ads-client-core';

interface HeldResource {
  readonly version: string;
  readonly resource: XdsResource;
}

interface DeltaTypeHeld {
  /** What the proxy runs of this type, by name (first arrival order). */
  resources: ReadonlyMap<string, HeldResource>;
  /** system_version_info of the last response applied. */
  version: string;
}

/**
 * DeltaAggregatedResources (mesh-internals §1.8): wildcard (`*`) CDS and LDS, EDS/RDS/SDS by name;
 * only changed resources are decoded; the consumer still gets the whole set it holds, so proxies
 * behave the same on either protocol. On reconnect every request carries initial_resource_versions.
 */
export class DeltaAdsClient extends AdsClientCore {
  readonly protocol = 'delta';
  protected readonly methodPath = DELTA_ADS_METHOD_PATH;
  private readonly held: Record<XdsTypeShort, DeltaTypeHeld> = perType(() => ({ resources: new Map(), version: '' }));

  constructor(options: AdsClientOptions) {
    super(options);
    this.connect();
  }

  ackedVersions(): Partial<Record<XdsTypeShort, string>> {
    return Object.fromEntries(PUSH_ORDER.filter((t) => this.held[t].version !== '').map((t) => [t, this.held[t].version]));
  }

  protected openStream(): void {
    this.send({ type_url: TYPE_URLS.CDS, resource_names_subscribe: ['*'], initial_resource_versions: this.versionsOf('CDS') });
    this.send({ type_url: TYPE_URLS.LDS, resource_names_subscribe: ['*'], initial_resource_versions: this.versionsOf('LDS') });
    for (const type of NAMED_TYPES) {
      if (this.names[type].length === 0) continue;
      this.send({ type_url: TYPE_URLS[type], resource_names_subscribe: this.names[type], initial_resource_versions: this.versionsOf(type) });
    }
  }

  private versionsOf(type: XdsTypeShort): Record<string, string> {
    return Object.fromEntries([...this.held[type].resources].map(([name, r]) => [name, r.version]));
  }

  private send(req: DeltaDiscoveryRequest): void {
    this.write((node) => writeDeltaDiscoveryRequest(node ? { node, ...req } : req));
  }

  protected onResponseBytes(bytes: Buffer): void {
    const res = readDeltaDiscoveryResponse(bytes);
    const type = typeShortOf(res.type_url);
    if (type === undefined) return;
    this.received();
    let next: Map<string, HeldResource>;
    try {
      next = this.applied(type, res);
      this.options.onResources(type, [...next.values()].map((r) => r.resource), res.system_version_info);
    } catch (err) {
      const message = this.rejected(type, res.system_version_info, err);
      this.send({ type_url: res.type_url, response_nonce: res.nonce, error_detail: { code: INVALID_ARGUMENT, message } });
      return;
    }
    this.held[type] = { resources: next, version: res.system_version_info };
    this.send({ type_url: res.type_url, response_nonce: res.nonce });
    this.followReferences(type, [...next.values()].map((r) => r.resource));
  }

  /** The held set after the response: changed resources decoded and replaced, removed ones dropped. */
  private applied(type: XdsTypeShort, res: DeltaDiscoveryResponse): Map<string, HeldResource> {
    const next = new Map(this.held[type].resources);
    for (const r of res.resources) next.set(r.name, { version: r.version, resource: decodeAnyValue(r.resource.type_url, r.resource.value) });
    for (const name of res.removed_resources) next.delete(name);
    return next;
  }

  protected sendSubscription(type: NamedType, before: readonly string[], after: readonly string[]): void {
    const was = new Set(before);
    const now = new Set(after);
    const subscribe = after.filter((n) => !was.has(n));
    const unsubscribe = before.filter((n) => !now.has(n));
    if (unsubscribe.length > 0) {
      // The client forgets what it unsubscribes (the server will not send its removal).
      const kept = new Map(this.held[type].resources);
      for (const name of unsubscribe) kept.delete(name);
      this.held[type] = { ...this.held[type], resources: kept };
    }
    this.send({ type_url: TYPE_URLS[type], resource_names_subscribe: subscribe, resource_names_unsubscribe: unsubscribe });
  }
}
