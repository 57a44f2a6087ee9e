import type { Sidecar } from '@trellis/mesh-api';
import { namespaceOf, sortedByCreation, type TranslateContext } from './context';
import type { VirtualHost } from '@trellis/mesh-envoy';
import { ZERO_DURATION } from './durations';
import { labelsMatch } from './services';
import { PASSTHROUGH_CLUSTER } from './naming';

/** The Sidecar resource for this proxy: workload-selected in its namespace, else namespace default, else root default. */
export function sidecarFor(ctx: TranslateContext): Sidecar | undefined {
  const sidecars = sortedByCreation(ctx.snapshot.sidecars);
  const inNs = sidecars.filter((s) => namespaceOf(s) === ctx.proxy.namespace);
  const selected = inNs.find((s) => s.spec.workloadSelector?.matchLabels && labelsMatch(s.spec.workloadSelector.matchLabels, ctx.proxy.labels));
  const nsDefault = inNs.find((s) => !s.spec.workloadSelector);
  const rootDefault = sidecars.find((s) => namespaceOf(s) === ctx.snapshot.rootNamespace && !s.spec.workloadSelector);
  return selected ?? nsDefault ?? rootDefault;
}

/**
 * outboundTrafficPolicy.mode REGISTRY_ONLY: unknown destinations are blocked instead of passed through.
 * The proxy's Sidecar decides; without one (or without the field) `meshConfig.outboundTrafficPolicy`, as istiod.
 */
export function registryOnly(ctx: TranslateContext): boolean {
  if (ctx.proxy.type !== 'sidecar') return false;
  const mode = sidecarFor(ctx)?.spec.outboundTrafficPolicy?.mode ?? ctx.snapshot.meshConfig?.outboundTrafficPolicy?.mode;
  return mode === 'REGISTRY_ONLY';
}

/** Istio's catch-all virtual host: `allow_any` → PassthroughCluster, or `block_all` → 502. */
export function catchAllVirtualHost(blocked: boolean): VirtualHost {
  if (blocked) {
    return { name: 'block_all', domains: ['*'], routes: [{ name: 'block_all', match: { prefix: '/' }, direct_response: { status: 502 } }] };
  }
  return {
    name: 'allow_any',
    domains: ['*'],
    routes: [{ name: 'allow_any', match: { prefix: '/' }, route: { cluster: PASSTHROUGH_CLUSTER, timeout: ZERO_DURATION } }],
  };
}
