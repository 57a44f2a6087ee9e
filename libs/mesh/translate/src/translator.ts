import type { MeshSnapshot, ProxyInfo } from '@trellis/mesh-api';
import { buildContext, type TranslateContext } from './context';
import type { XdsResources } from './envoy-types';
import { translateGrpc } from './grpc-flavour';
import { assemble, ownResources, ownResourcesKey, sharedOutbound, type OwnResources, type SharedOutbound } from './translate';

/** Whether any config makes outbound resources depend on the proxy's labels. */
function labelSensitive(snapshot: MeshSnapshot): boolean {
  const vsUsesLabels = snapshot.virtualServices.some((vs) => (vs.spec.http ?? []).some((r) => (r.match ?? []).some((m) => m.sourceLabels !== undefined)));
  const sidecarSelects = snapshot.sidecars.some((s) => s.spec.workloadSelector !== undefined);
  return vsUsesLabels || sidecarSelects;
}

function sortedLabels(labels: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * A memoising `translate`: within one snapshot, the namespace-level context (service models,
 * visible config) is built once per namespace, and the outbound resources once per proxy kind,
 * namespace and — only when some config selects by workload labels — label set. Proxies that
 * share them get the very same objects, so encoders can cache by identity. Output is identical
 * to `translate(snapshot, proxy)`.
 */
export function createTranslator(): (snapshot: MeshSnapshot, proxy: ProxyInfo) => XdsResources {
  let current: MeshSnapshot | undefined;
  let byLabels = false;
  const contexts = new Map<string, TranslateContext>();
  const shared = new Map<string, SharedOutbound>();
  const owned = new Map<string, OwnResources>();
  return (snapshot, proxy) => {
    if (proxy.generator === 'grpc') return translateGrpc(snapshot, proxy);
    if (snapshot !== current) {
      current = snapshot;
      byLabels = labelSensitive(snapshot);
      contexts.clear();
      shared.clear();
      owned.clear();
    }
    let base = contexts.get(proxy.namespace);
    if (!base) {
      base = buildContext(snapshot, proxy);
      contexts.set(proxy.namespace, base);
    }
    const ctx: TranslateContext = { ...base, proxy };
    const key = `${proxy.type}\u0000${proxy.namespace}\u0000${proxy.type === 'router' || byLabels ? sortedLabels(proxy.labels) : ''}`;
    let out = shared.get(key);
    if (!out) {
      out = sharedOutbound(ctx);
      shared.set(key, out);
    }
    const ownKey = ownResourcesKey(ctx);
    let own = owned.get(ownKey);
    if (!own) {
      own = ownResources(ctx);
      owned.set(ownKey, own);
    }
    return assemble(out, ctx, own);
  };
}
