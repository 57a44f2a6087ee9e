import type { MeshSnapshot, ProxyInfo } from '@trellis/mesh-api';
import { buildContext, type TranslateContext } from './context';
import { selectSidecar } from './sidecar-scope';
import type { XdsResources } from '@trellis/mesh-envoy';
import { translateGrpc } from './grpc-flavour';
import { translateOptions, type TranslateOptions } from './translate-options';
import { telemetryPlan } from './telemetry/telemetry-apply';
import { envoyFilterKey } from './envoy-filter';
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

/** Everything memoised for one snapshot. */
class SnapshotMemo {
  readonly byLabels: boolean;
  readonly contexts = new Map<string, TranslateContext>();
  readonly shared = new Map<string, SharedOutbound>();
  readonly owned = new Map<string, OwnResources>();
  readonly results = new Map<string, XdsResources>();

  constructor(
    readonly snapshot: MeshSnapshot,
    private readonly options: TranslateOptions,
  ) {
    this.byLabels = labelSensitive(snapshot);
  }

  translate(proxy: ProxyInfo): XdsResources {
    // The context depends on the namespace (exportTo) and the Sidecar that applies (egress hosts).
    const sidecar = proxy.type === 'sidecar' ? selectSidecar(this.snapshot.sidecars, proxy, this.snapshot.rootNamespace) : undefined;
    const sidecarKey = sidecar === undefined ? '' : `${sidecar.metadata.namespace ?? ''}/${sidecar.metadata.name}`;
    const base = memo(this.contexts, `${proxy.type}\u0000${proxy.namespace}\u0000${sidecarKey}`, () => buildContext(this.snapshot, proxy, this.options));
    const ctx: TranslateContext = { ...base, proxy };
    const labels = proxy.type === 'router' || this.byLabels ? sortedLabels(proxy.labels) : '';
    // Interception changes the outbound listeners (REDIRECT: <vip>_<port> and SNI listeners; NONE: none).
    const sharedKey = `${proxy.type}\u0000${proxy.interception}\u0000${proxy.namespace}\u0000${labels}`;
    const ownKey = ownResourcesKey(ctx);
    // Access logs / tracing depend on the workload (Telemetry selectors, labels, PROXY_CONFIG sampling).
    const telemetry = telemetryPlan(ctx);
    // Equal keys → the very same result object, so encoders can cache whole lists by identity.
    const key = `${sharedKey}\u0001${ownKey}\u0001${telemetry.key}\u0001${envoyFilterKey(ctx)}`;
    return memo(this.results, key, () =>
      assemble(
        memo(this.shared, sharedKey, () => sharedOutbound(ctx)),
        ctx,
        memo(this.owned, ownKey, () => ownResources(ctx)),
        telemetry,
      ),
    );
  }
}

/**
 * A memoising `translate`: within one snapshot, the namespace-level context (service models,
 * visible config) is built once per namespace, the outbound resources once per proxy kind,
 * namespace and — only when some config selects by workload labels — label set, and proxies
 * with equal inputs get the very same result object. Output is identical to `translate`.
 */
export function createTranslator(options: Partial<TranslateOptions> = {}): (snapshot: MeshSnapshot, proxy: ProxyInfo) => XdsResources {
  const resolved = translateOptions(options);
  let current: SnapshotMemo | undefined;
  return (snapshot, proxy) => {
    if (proxy.generator === 'grpc') return translateGrpc(snapshot, proxy);
    if (current?.snapshot !== snapshot) current = new SnapshotMemo(snapshot, resolved);
    return current.translate(proxy);
  };
}
