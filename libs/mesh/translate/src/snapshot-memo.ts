import type { MeshSnapshot, ProxyInfo } from '@trellis/mesh-api';
import type { XdsResources } from '@trellis/mesh-envoy';
import { buildContext, type TranslateContext } from './context';
import { deepEqual } from './deep-equal';
import { envoyFilterKey } from './envoy-filter';
import { groupScope, touches, type GroupScope } from './group-scope';
import { internResources } from './intern';
import { selectSidecar } from './sidecar-scope';
import type { SnapshotChange } from './snapshot-change';
import { telemetryPlan, type TelemetryPlan } from './telemetry/telemetry-apply';
import type { TranslateOptions } from './translate-options';
import { assemble, ownResources, ownResourcesKey, sharedOutbound, type OwnResources, type SharedOutbound } from './translate';

/** Whether any config makes outbound resources depend on the proxy's labels. */
function labelSensitive(snapshot: MeshSnapshot): boolean {
  const vsUsesLabels = snapshot.virtualServices.some((vs) =>
    [...(vs.spec.http ?? []), ...(vs.spec.tcp ?? [])].some((r) => (r.match ?? []).some((m) => m.sourceLabels !== undefined)),
  );
  const sidecarSelects = snapshot.sidecars.some((s) => s.spec.workloadSelector !== undefined);
  return vsUsesLabels || sidecarSelects;
}

function sortedLabels(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function memo<V>(map: Map<string, V>, key: string, make: () => V): V {
  const hit = map.get(key);
  if (hit !== undefined) return hit;
  const value = make();
  map.set(key, value);
  return value;
}

/** The per-proxy inputs that do not depend on the outbound view: reusable while its namespace's registry is unchanged. */
interface OwnPart {
  readonly ownKey: string;
  readonly telemetry: TelemetryPlan;
  /** ownKey, telemetry and EnvoyFilter inputs as one short string (kept with the part, so hashed once). */
  readonly key: string;
}

/**
 * Short ids for long memo keys (a telemetry plan's JSON), kept across snapshots. Ids are never
 * reused: when the table is cleared (bounded), equal keys get a new id — less sharing, never a wrong one.
 */
export class KeyIds {
  private readonly ids = new Map<string, number>();
  private next = 0;

  id(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      if (this.ids.size >= 10_000) this.ids.clear();
      this.ids.set(key, (id = this.next++));
    }
    return id;
  }
}

/** What a proxy was given in one snapshot, and from which inputs. */
interface ProxyEntry {
  readonly proxy: ProxyInfo;
  readonly group: string;
  readonly own: OwnPart;
  readonly result: XdsResources;
}

/** The previous snapshot's memo and what changed since. */
export interface MemoHistory {
  readonly memo: SnapshotMemo;
  readonly change: SnapshotChange;
}

/**
 * Everything memoised for one snapshot. With a history, a proxy whose group (namespace, kind,
 * Sidecar) the change does not touch and whose namespace's registry is unchanged gets its
 * previous result object back untranslated; others are translated, and what they share with
 * their previous result keeps its identity (intern.ts).
 */
export class SnapshotMemo {
  private readonly byLabels: boolean;
  private readonly contexts = new Map<string, TranslateContext>();
  readonly shared = new Map<string, SharedOutbound>();
  private readonly owned = new Map<string, OwnResources>();
  private readonly results = new Map<string, XdsResources>();
  private readonly touched = new Map<string, boolean>();
  private readonly sidecarSelects: boolean;
  private readonly groupKeys = new Map<string, string>();
  /** Group key → scope, for the next snapshot's diff. */
  readonly scopes = new Map<string, GroupScope>();
  /** Proxy id → entry; bounded by the proxies translated against this snapshot. */
  readonly entries = new Map<string, ProxyEntry>();

  constructor(
    readonly snapshot: MeshSnapshot,
    private readonly options: TranslateOptions,
    private readonly ids: KeyIds,
    private history?: MemoHistory,
  ) {
    this.byLabels = labelSensitive(snapshot);
    this.sidecarSelects = snapshot.sidecars.some((s) => s.spec.workloadSelector !== undefined);
  }

  /** The next snapshot's memo has taken what it needs: drop the chain to older snapshots. */
  forgetHistory(): void {
    this.history = undefined;
  }

  translate(proxy: ProxyInfo): XdsResources {
    const group = this.groupKey(proxy);
    const previous = this.previousEntry(proxy, group);
    const change = this.history?.change;
    const ownReusable = previous !== undefined && change !== undefined && !change.full && !change.services && !change.namespaces.has(proxy.namespace);
    if (ownReusable && !this.groupTouched(group)) {
      this.entries.set(proxy.id, previous);
      return previous.result;
    }
    const ctx: TranslateContext = { ...this.context(group, proxy), proxy };
    const own = ownReusable ? previous.own : ownPart(ctx, this.ids);
    const labels = proxy.type === 'router' || this.byLabels ? sortedLabels(proxy.labels) : '';
    // Interception changes the outbound listeners (REDIRECT: <vip>_<port> and SNI listeners; NONE: none).
    const sharedKey = `${group}\u0001${proxy.interception}\u0001${labels}`;
    // Equal keys → the very same result object, so encoders can cache whole lists by identity.
    const key = `${sharedKey}\u0002${own.key}`;
    const result = memo(this.results, key, () => {
      // An untouched group's outbound resources are the previous snapshot's.
      const shared = memo(this.shared, sharedKey, () => (this.groupTouched(group) ? undefined : this.history?.memo.shared.get(sharedKey)) ?? sharedOutbound(ctx));
      return internResources(assemble(shared, ctx, memo(this.owned, own.ownKey, () => ownResources(ctx)), own.telemetry), previous?.result);
    });
    this.entries.set(proxy.id, { proxy, group, own, result });
    return result;
  }

  /** Proxies with one group share a context: kind, namespace (exportTo) and the Sidecar that applies (egress hosts). */
  private groupKey(proxy: ProxyInfo): string {
    // Only a workload-selecting Sidecar makes the group depend on labels: otherwise one lookup per namespace.
    const by = `${proxy.type}\u0000${proxy.namespace}\u0000${this.sidecarSelects ? sortedLabels(proxy.labels) : ''}`;
    return memo(this.groupKeys, by, () => this.groupKeyOf(proxy));
  }

  private groupKeyOf(proxy: ProxyInfo): string {
    const sidecar = proxy.type === 'sidecar' ? selectSidecar(this.snapshot.sidecars, proxy, this.snapshot.rootNamespace) : undefined;
    const sidecarKey = sidecar === undefined ? '' : `${sidecar.metadata.namespace ?? ''}/${sidecar.metadata.name}`;
    return `${proxy.type}\u0000${proxy.namespace}\u0000${sidecarKey}`;
  }

  private context(group: string, proxy: ProxyInfo): TranslateContext {
    return memo(this.contexts, group, () => {
      const ctx = buildContext(this.snapshot, proxy, this.options);
      this.scopes.set(group, groupScope(ctx));
      return ctx;
    });
  }

  private previousEntry(proxy: ProxyInfo, group: string): ProxyEntry | undefined {
    const entry = this.history?.memo.entries.get(proxy.id);
    if (entry === undefined || entry.group !== group) return undefined;
    return entry.proxy === proxy || deepEqual(entry.proxy, proxy) ? entry : undefined;
  }

  /** Whether the change reaches this group (computed once per group; an unknown group counts as touched). */
  private groupTouched(group: string): boolean {
    const history = this.history;
    if (history === undefined) return true;
    return memo(this.touched, group, () => {
      const scope = history.memo.scopes.get(group);
      if (scope === undefined || touches(history.change, scope)) return true;
      if (!this.scopes.has(group)) this.scopes.set(group, scope);
      return false;
    });
  }
}

function ownPart(ctx: TranslateContext, ids: KeyIds): OwnPart {
  const ownKey = ownResourcesKey(ctx);
  // Access logs / tracing depend on the workload (Telemetry selectors, labels, PROXY_CONFIG sampling).
  const telemetry = telemetryPlan(ctx);
  // The proxy's HTTP10 metadata changes its HCMs (http10.ts).
  const http10 = ctx.proxy.http10 === true ? '\u0002http10' : '';
  return { ownKey, telemetry, key: `${ids.id(ownKey)}\u0002${ids.id(telemetry.key)}\u0002${envoyFilterKey(ctx)}${http10}` };
}
