import type { IstioKind } from '../types';
import { ALL_KINDS, isIstioKind, KIND_INFO, type KindInfo } from './kinds';

/** The `kind` field of a kind's objects (`Gateway` for the Gateway API's `KubernetesGateway`). */
export function manifestKindOf(info: KindInfo): string {
  return info.manifestKind ?? info.kind;
}

const groupOf = (apiVersion: unknown): string | undefined =>
  typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : undefined;

/**
 * A config object's kind id, from its `kind` and the group of its `apiVersion`: `Gateway` in
 * `gateway.networking.k8s.io` is `KubernetesGateway`, in `networking.istio.io` it is `Gateway`. An
 * object whose group matches no kind of that name gets the id its `kind` names alone (so the error
 * about its apiVersion names that kind); undefined for unknown kinds.
 */
export function configKindOf(o: { apiVersion?: unknown; kind?: unknown }): IstioKind | undefined {
  if (typeof o.kind !== 'string') return undefined;
  const group = groupOf(o.apiVersion);
  const byGroup = ALL_KINDS.find((k) => k.group === group && manifestKindOf(k) === o.kind);
  if (byGroup !== undefined) return byGroup.kind;
  return isIstioKind(o.kind) && KIND_INFO[o.kind].manifestKind === undefined ? o.kind : undefined;
}

/** Istio's own kinds (the CRDs `deploy/crds` installs); the Gateway API's CRDs are upstream's and may be absent. */
export const ISTIO_CRD_KINDS: readonly IstioKind[] = ALL_KINDS.filter((k) => k.group.endsWith('.istio.io')).map((k) => k.kind);

/** The Gateway API kinds (gateway.networking.k8s.io). */
export const GATEWAY_API_KINDS: readonly IstioKind[] = ALL_KINDS.filter((k) => k.group === 'gateway.networking.k8s.io').map((k) => k.kind);
