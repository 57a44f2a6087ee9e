import { ISTIO_KINDS, KIND_INFO, manifestKindOf, type IstioKind } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';

export interface KindInfo {
  kind: IstioKind;
  /** The objects' `kind` (`Gateway` for the Gateway API's `KubernetesGateway`). */
  manifestKind: string;
  group: string;
  /** `virtualservices` */
  plural: string;
  /** `virtualservice` */
  singular: string;
  shortNames: readonly string[];
}

/** Names as the CRDs give them (mesh-api's registry: Istio's kinds and the Gateway API's). */
export const KINDS: readonly KindInfo[] = (Object.keys(ISTIO_KINDS) as IstioKind[]).map((kind) => {
  const info = KIND_INFO[kind];
  return { kind, manifestKind: manifestKindOf(info), group: info.group, singular: info.singular, plural: info.plural, shortNames: info.shortNames };
});

export const UNKNOWN_RESOURCE_TYPE = 'UNKNOWN_RESOURCE_TYPE';

/**
 * Resolves what a user typed (`vs`, `virtualservices`, `VirtualService`,
 * `virtualservices.networking.istio.io`) to a kind, like kubectl's RESTMapper.
 */
export function resolveKind(input: string): KindInfo {
  const info = findKind(input);
  if (!info) throw new TrellisError(UNKNOWN_RESOURCE_TYPE, 'the server does not have this resource type', { resource: input });
  return info;
}

export function findKind(input: string): KindInfo | undefined {
  const lower = input.toLowerCase();
  const dot = lower.indexOf('.');
  const name = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  return KINDS.find(
    (k) =>
      (group === undefined || group === k.group) &&
      (name === k.singular || name === k.plural || k.shortNames.includes(name)),
  );
}

/** The kind for a manifest's `kind` + `apiVersion`, or undefined when it is not an Istio resource. */
export function kindForManifest(kind: unknown, apiVersion: unknown): KindInfo | undefined {
  if (typeof kind !== 'string' || typeof apiVersion !== 'string') return undefined;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return KINDS.find((k) => k.manifestKind === kind && k.group === group);
}

/** `virtualservice.networking.istio.io` — the resource prefix kubectl prints for apply/delete. */
export function qualifiedSingular(info: KindInfo): string {
  return `${info.singular}.${info.group}`;
}

/** `virtualservices.networking.istio.io` — the resource name kubectl prints in NotFound errors. */
export function qualifiedPlural(info: KindInfo): string {
  return `${info.plural}.${info.group}`;
}

/** Best-effort display name for a kind string the server returned. */
export function displaySingular(kind: string): string {
  const info = KINDS.find((k) => k.kind === kind);
  return info ? qualifiedSingular(info) : kind.toLowerCase();
}
