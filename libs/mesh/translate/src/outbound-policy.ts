import type { Sidecar } from '@trellis/mesh-api';
import type { TranslateContext } from './context';
import type { VirtualHost } from '@trellis/mesh-envoy';
import { ZERO_DURATION } from './durations';
import { PASSTHROUGH_CLUSTER } from './naming';

/** The Sidecar resource for this sidecar proxy (buildContext selects it: sidecar-scope.ts `selectSidecar`). */
export function sidecarFor(ctx: TranslateContext): Sidecar | undefined {
  return ctx.sidecar;
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
