import { DELTA_ADS_METHOD_PATH, type DeltaDiscoveryRequest, type DeltaDiscoveryResponse } from '../proto/delta-types';
import type { XdsNode } from '../proto/discovery-types';
import { readDeltaDiscoveryResponse, writeDeltaDiscoveryRequest } from '../proto/delta-wire';
import { decodeAnyValue } from '../proto/wire-decode';
import { perType, PUSH_ORDER, TYPE_URLS, typeShortOf, type XdsTypeShort } from '../proto/type-urls';
import { isVhdsShell, VHDS_CLIENT_FEATURE, VHDS_TYPE_URL } from '../vhds/vhds';
import { AdsClientCore, INVALID_ARGUMENT, NAMED_TYPES, type AdsClientOptions, type NamedType } from './ads-client-core';
import { applyVhds, forgetVhds, materializeRoutes, NO_VHDS, vhdsNamesOf, type HeldResource, type VhdsHeld } from './vhds-held';

interface DeltaTypeHeld {
  /** What the proxy runs of this type, by name (first arrival order); RDS of a VHDS client: shells. */
  resources: ReadonlyMap<string, HeldResource>;
  /** system_version_info of the last response applied. */
  version: string;
}

/**
 * DeltaAggregatedResources (mesh-internals §1.8): wildcard (`*`) CDS and LDS, EDS/RDS/SDS by name;
 * only changed resources are decoded; the consumer still gets the whole set it holds, so proxies
 * behave the same on either protocol. On reconnect every request carries initial_resource_versions.
 * With VHDS (default) route configurations arrive as shells and their virtual hosts by
 * VirtualHost subscription (one name per route configuration); the consumer gets them materialized.
 */
export class DeltaAdsClient extends AdsClientCore {
  readonly protocol = 'delta';
  protected readonly methodPath = DELTA_ADS_METHOD_PATH;
  private readonly held: Record<XdsTypeShort, DeltaTypeHeld> = perType(() => ({ resources: new Map(), version: '' }));
  private vhds: VhdsHeld = NO_VHDS;
  /** Route configuration names subscribed over VHDS. */
  private vhdsNames: string[] = [];

  constructor(options: AdsClientOptions) {
    super(options);
    this.connect();
  }

  ackedVersions(): Partial<Record<XdsTypeShort, string>> {
    return Object.fromEntries(PUSH_ORDER.filter((t) => this.held[t].version !== '').map((t) => [t, this.held[t].version]));
  }

  protected override node(): XdsNode {
    const node = this.options.node;
    if (this.options.vhds === false) return node;
    return { ...node, client_features: [...(node.client_features ?? []).filter((f) => f !== VHDS_CLIENT_FEATURE), VHDS_CLIENT_FEATURE] };
  }

  protected openStream(): void {
    this.send({ type_url: TYPE_URLS.CDS, resource_names_subscribe: ['*'], initial_resource_versions: this.versionsOf('CDS') });
    this.send({ type_url: TYPE_URLS.LDS, resource_names_subscribe: ['*'], initial_resource_versions: this.versionsOf('LDS') });
    for (const type of NAMED_TYPES) {
      if (this.names[type].length === 0) continue;
      this.send({ type_url: TYPE_URLS[type], resource_names_subscribe: this.names[type], initial_resource_versions: this.versionsOf(type) });
    }
    if (this.vhdsNames.length > 0) {
      const versions = Object.fromEntries([...this.vhds.vhosts].map(([name, r]) => [name, r.version]));
      this.send({ type_url: VHDS_TYPE_URL, resource_names_subscribe: this.vhdsNames, initial_resource_versions: versions });
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
    if (res.type_url === VHDS_TYPE_URL && this.options.vhds !== false) {
      this.received();
      this.onVirtualHosts(res);
      return;
    }
    const type = typeShortOf(res.type_url);
    if (type === undefined) return;
    this.received();
    let next: Map<string, HeldResource>;
    try {
      next = this.applied(type, res);
      if (type !== 'RDS') this.options.onResources(type, [...next.values()].map((r) => r.resource), res.system_version_info);
      else if (!this.onlyPendingShells(res, next)) this.options.onResources(type, materializeRoutes(next, this.vhds), res.system_version_info);
    } catch (err) {
      this.nack(res, err);
      return;
    }
    this.held[type] = { resources: next, version: res.system_version_info };
    this.send({ type_url: res.type_url, response_nonce: res.nonce });
    this.followReferences(type, [...next.values()].map((r) => r.resource));
    if (type === 'RDS' && this.options.vhds !== false) this.resubscribeVhds(vhdsNamesOf(next));
  }

  /** New VHDS shells alone change nothing the proxy runs (they wait for their virtual hosts): no delivery. */
  private onlyPendingShells(res: DeltaDiscoveryResponse, next: ReadonlyMap<string, HeldResource>): boolean {
    if (res.removed_resources.length > 0) return false;
    return res.resources.every((r) => {
      const held = next.get(r.name);
      return held !== undefined && isVhdsShell(held.resource) && !this.vhds.answered.has(r.name);
    });
  }

  /** Virtual hosts: the route configurations they belong to are recompiled whole (a bad one NACKs, the last good table stays). */
  private onVirtualHosts(res: DeltaDiscoveryResponse): void {
    let next: VhdsHeld;
    try {
      next = applyVhds(this.vhds, res);
      this.options.onResources('RDS', materializeRoutes(this.held.RDS.resources, next), res.system_version_info);
    } catch (err) {
      this.nack(res, err);
      return;
    }
    this.vhds = next;
    // The server gives RDS and VHDS responses one route version (shells + hosts): the latest is the RDS version.
    this.held.RDS = { ...this.held.RDS, version: res.system_version_info };
    this.send({ type_url: res.type_url, response_nonce: res.nonce });
  }

  private nack(res: DeltaDiscoveryResponse, err: unknown): void {
    const type = typeShortOf(res.type_url) ?? 'RDS';
    const message = this.rejected(type, res.system_version_info, err);
    this.send({ type_url: res.type_url, response_nonce: res.nonce, error_detail: { code: INVALID_ARGUMENT, message } });
  }

  private resubscribeVhds(names: string[]): void {
    const before = this.vhdsNames;
    if (names.join('\0') === before.join('\0')) return;
    this.vhdsNames = names;
    const subscribe = names.filter((n) => !before.includes(n));
    const unsubscribe = before.filter((n) => !names.includes(n));
    this.vhds = forgetVhds(this.vhds, unsubscribe);
    this.send({ type_url: VHDS_TYPE_URL, resource_names_subscribe: subscribe, resource_names_unsubscribe: unsubscribe });
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
      if (type === 'RDS' && this.options.vhds !== false) this.resubscribeVhds(vhdsNamesOf(kept));
    }
    this.send({ type_url: TYPE_URLS[type], resource_names_subscribe: subscribe, resource_names_unsubscribe: unsubscribe });
  }
}
