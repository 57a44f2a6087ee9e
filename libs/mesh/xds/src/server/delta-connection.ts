import type * as grpc from '@grpc/grpc-js';
import type { DeltaDiscoveryRequest } from '../proto/delta-types';
import type { XdsNode } from '../proto/discovery-types';
import type { DeltaResponseFields } from '../proto/delta-wire';
import { perType, TYPE_URLS, type XdsTypeShort } from '../proto/type-urls';
import type { XdsResource, XdsResources } from '../resources';
import { materialize, VHDS_CLIENT_FEATURE, VHDS_TYPE_URL } from '../vhds/vhds';
import { diff, EMPTY_SELECTION, heldVersion, isEmpty, withRequested, type Change } from './delta-diff';
import { applySubscriptions, newDeltaTypeState, recordSent, settle, type DeltaLimits, type DeltaTypeState } from './delta-state';
import { packType, select, type PackedType, type Selection } from './packed-set';
import { ProxyConnection, typeStatus, type ConnectionDeps, type ProxySyncStatus } from './proxy-connection';
import type { TypeProgress } from './type-state';
import { sharedNonce } from './shared-nonce';
import { routesVersion, splitRoutes } from './vhds-split';

export type DeltaAdsCall = grpc.ServerDuplexStream<DeltaDiscoveryRequest, DeltaResponseFields>;

/** What a delta stream serves: the ADS types and, for clients announcing VHDS_CLIENT_FEATURE, virtual hosts. */
type DeltaKind = XdsTypeShort | 'VHDS';

/**
 * A DeltaAggregatedResources stream (mesh-internals §1.8): per-resource versions, only changed and
 * removed resources sent, subscriptions honoured whatever the nonce, ACK/NACK per nonce. Selections
 * and encodings are SotW's (packed-set.ts); only what the client holds differs (delta-diff.ts). A
 * client announcing VHDS gets RouteConfiguration shells and VirtualHost resources (vhds-split.ts).
 */
export class DeltaConnection extends ProxyConnection<DeltaDiscoveryRequest, DeltaResponseFields> {
  readonly protocol = 'delta';
  private readonly types: Record<DeltaKind, DeltaTypeState> = { ...perType(() => newDeltaTypeState()), VHDS: newDeltaTypeState(true) };
  private vhds = false;
  private vhosts: PackedType | undefined;
  private withVhosts: ReadonlySet<string> = new Set();
  /** Which of RDS and VHDS last sent and last ACKed a route version (the RDS status row). */
  private readonly routes: { sent: 'RDS' | 'VHDS'; acked: 'RDS' | 'VHDS' } = { sent: 'RDS', acked: 'RDS' };

  constructor(call: DeltaAdsCall, deps: ConnectionDeps, private readonly limits: DeltaLimits) {
    super(call, deps);
  }

  protected progress(type: XdsTypeShort): TypeProgress {
    return this.types[type];
  }

  protected override onNode(node: XdsNode | undefined): void {
    this.vhds = node?.client_features?.includes(VHDS_CLIENT_FEATURE) === true;
  }

  protected override packOf(all: XdsResources, type: XdsTypeShort): PackedType {
    if (!this.vhds || type !== 'RDS') return packType(all, type);
    const split = splitRoutes(all);
    this.vhosts = split.vhosts;
    this.withVhosts = split.withVhosts;
    return split.shells;
  }

  private packedOf(kind: DeltaKind): PackedType | undefined {
    return kind === 'VHDS' ? this.vhosts : this.packed[kind];
  }

  private heldOf(kind: DeltaKind): XdsResource[] {
    const held = this.types[kind].held;
    if (held.kind === 'selection') return held.selection.entries.map((e) => e.resource);
    const packed = this.packedOf(kind);
    const out: XdsResource[] = [];
    for (const [name, version] of held.versions) {
      const entry = packed?.get(name);
      if (entry?.version === version) out.push(entry.resource);
    }
    return out;
  }

  /** RDS of a VHDS client: each shell with the virtual hosts the client holds, as the proxy runs it. */
  protected held(type: XdsTypeShort): readonly XdsResource[] {
    const shells = this.heldOf(type);
    if (!this.vhds || type !== 'RDS') return shells;
    const vhosts = this.vhosts;
    const vhds = this.types.VHDS.held;
    return shells.map((shell) => {
      const prefix = `${String(shell['name'])}/`;
      const mine = [...(vhosts?.values() ?? [])].filter((e) => e.name.startsWith(prefix) && heldVersion(vhds, e.name) === e.version);
      return materialize(shell, mine.map((e) => e.resource));
    });
  }

  /**
   * A VHDS client's RDS row stands for its route tables: the latest route version sent and ACKed
   * (RDS or VHDS), the latest NACK of either, SYNCED only when both are; VHDS has its own row too.
   */
  override status(): ProxySyncStatus | undefined {
    const base = super.status();
    const vhds = this.types.VHDS;
    if (base === undefined || !vhds.requested) return base;
    const VHDS = typeStatus(vhds);
    const sent = this.types[this.routes.sent];
    const nacks = [this.types.RDS.lastNack, vhds.lastNack].filter((n) => n !== undefined).sort((a, b) => (a.at < b.at ? -1 : 1));
    const RDS = {
      sentVersion: sent.sentVersion,
      sentNonce: sent.sentNonce,
      ackedVersion: this.types[this.routes.acked].ackedVersion,
      lastNack: nacks.at(-1),
      status: base.types.RDS.status === 'SYNCED' ? VHDS.status : base.types.RDS.status,
    };
    return { ...base, types: { ...base.types, RDS, VHDS } };
  }

  protected override handleOther(typeUrl: string, req: DeltaDiscoveryRequest): boolean {
    if (typeUrl !== VHDS_TYPE_URL || !this.vhds) return false;
    this.handleKind('VHDS', req);
    return true;
  }

  protected handle(type: XdsTypeShort, req: DeltaDiscoveryRequest): void {
    this.handleKind(type, req);
  }

  private handleKind(kind: DeltaKind, req: DeltaDiscoveryRequest): void {
    const state = this.types[kind];
    const nonce = req.response_nonce ?? '';
    const outcome = settle(state, nonce, req.error_detail === undefined ? undefined : (req.error_detail.message ?? ''));
    if (outcome === 'expired') this.deps.metrics.expiredNonce(kind);
    if (outcome === 'ack' && (kind === 'RDS' || kind === 'VHDS')) this.routes.acked = kind;
    if (outcome === 'nack' && state.lastNack !== undefined) this.recordNack(kind, state.lastNack);
    const packed = this.packedOf(kind);
    if (packed === undefined) return;
    const update = applySubscriptions(state, kind === 'VHDS' ? 'RDS' : kind, req, packed, this.limits);
    if (update.dropped > 0) {
      this.deps.metrics.subscriptionsDropped(kind, update.dropped);
      this.deps.logger.warn({ proxy: this.proxy?.id, type: kind, dropped: update.dropped, limit: this.limits.maxUnknownNames }, 'xDS subscriptions to unknown names beyond the limit answered as removed');
    }
    if (!update.respond) return;
    if (kind !== 'VHDS') {
      this.respond(kind, update.requested, update.initial);
      return;
    }
    // A route configuration's name is not a resource: its virtual hosts are in the diff. One with
    // none (or unknown) is answered as removed, so the client knows it has its answer either way.
    const answer = new Set([...update.requested].filter((n) => packed.has(n) || !this.withVhosts.has(n)));
    this.respond(kind, answer, true);
  }

  private respond(kind: DeltaKind, requested: ReadonlySet<string>, always: boolean, changeAt?: number, round?: string): boolean {
    const packed = this.packedOf(kind);
    if (packed === undefined || this.closed) return false;
    const state = this.types[kind];
    const next = select(packed, state.wildcard, state.names, state.grouped);
    const change = withRequested(diff(state.held, next), requested, next, state.wildcard ? undefined : state.names);
    // Nothing to change but a new version (the client kept older resources after a NACK, and the
    // config went back to them): an empty response, so its ACK shows the proxy in sync at that version.
    const version = this.versionOf(kind, next);
    const nackedLast = state.lastNack !== undefined && state.lastNack.nonce === state.sentNonce;
    if (isEmpty(change) && requested.size === 0 && !always && !(nackedLast && version !== state.sentVersion)) return false;
    // As SotW: in a push round the nonce is the round's, otherwise the body's (shared-nonce.ts), so
    // equal changes share one encoded response.
    const usedHere = (n: string): boolean => state.pending.has(n) || n === state.sentNonce || n === state.ackedNonce;
    const nonce = round === undefined ? sharedNonce(change, kind, version, usedHere) : `${round}-${kind}`;
    this.write(kind === 'VHDS' ? VHDS_TYPE_URL : TYPE_URLS[kind], version, nonce, change);
    if (kind === 'RDS' || kind === 'VHDS') this.routes.sent = kind;
    const dropped = recordSent(state, nonce, next, change, this.limits, version);
    if (dropped > 0) this.deps.metrics.unackedDropped(kind, dropped);
    this.sent(kind, changeAt);
    return true;
  }

  /** A VHDS client's RDS and VHDS responses carry one version for shells + virtual hosts (routesVersion). */
  private versionOf(kind: DeltaKind, next: Selection): string {
    if (!this.vhds || (kind !== 'RDS' && kind !== 'VHDS')) return next.version;
    const pick = (k: 'RDS' | 'VHDS'): Selection => {
      const packed = this.packedOf(k);
      const state = this.types[k];
      return k === kind ? next : packed === undefined ? EMPTY_SELECTION : select(packed, state.wildcard, state.names, state.grouped);
    };
    return routesVersion(pick('RDS'), pick('VHDS'));
  }

  private write(typeUrl: string, version: string, nonce: string, body: Change): void {
    this.call.write({ system_version_info: version, type_url: typeUrl, nonce, body });
  }

  /** RDS then, for a VHDS client, the virtual hosts (Envoy's order: the shell first). */
  protected pushType(type: XdsTypeShort, changeAt: number, round: string): boolean {
    const sent = this.respond(type, NO_NAMES, false, changeAt, round);
    if (type !== 'RDS' || !this.vhds || !this.types.VHDS.requested) return sent;
    return this.respond('VHDS', NO_NAMES, false, changeAt, round) || sent;
  }
}

const NO_NAMES: ReadonlySet<string> = new Set();
