import {
  isGatewayClass,
  isKubernetesGateway,
  isKubernetesHttpRoute,
  isReferenceGrant,
  type GatewayClass,
  type KubernetesGateway,
  type KubernetesHTTPRoute,
  type MeshService,
  type ReferenceGrant,
} from '@trellis/mesh-api';
import { GATEWAY_CONTROLLER_NAME, type GatewayApiInput } from './contract';

/** The input indexed once: Gateway API objects by kind, Services and namespace labels by name. */
export interface ConvertContext {
  readonly input: GatewayApiInput;
  readonly gatewayClasses: readonly GatewayClass[];
  /** Every Gateway whose class Trellis implements, oldest first. */
  readonly gateways: readonly KubernetesGateway[];
  readonly routes: readonly KubernetesHTTPRoute[];
  readonly grants: readonly ReferenceGrant[];
  readonly services: ReadonlyMap<string, MeshService>;
  readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export const nsOf = (o: { metadata: { namespace?: string } }): string => o.metadata.namespace ?? 'default';
export const keyOf = (o: { metadata: { namespace?: string; name: string } }): string => `${nsOf(o)}/${o.metadata.name}`;
export const generationOf = (o: { metadata: { generation?: number } }): number => o.metadata.generation ?? 1;

/** Istio's precedence: oldest first, then namespace/name. */
export function byAge<T extends { metadata: { creationTimestamp?: string; namespace?: string; name: string } }>(a: T, b: T): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return keyOf(a).localeCompare(keyOf(b));
}

/**
 * The controller of a class name: a GatewayClass object's, else istiod's built-in class `istio`
 * (istiod creates it when absent, so Gateways may name it before it exists).
 */
export function controllerOf(classes: readonly GatewayClass[], name: string): string | undefined {
  const found = classes.find((c) => c.metadata.name === name);
  if (found !== undefined) return found.spec.controllerName;
  return name === 'istio' ? GATEWAY_CONTROLLER_NAME : undefined;
}

export function buildContext(input: GatewayApiInput): ConvertContext {
  const gatewayClasses = input.configs.filter(isGatewayClass);
  const gateways = input.configs
    .filter(isKubernetesGateway)
    .filter((g) => controllerOf(gatewayClasses, g.spec.gatewayClassName) === GATEWAY_CONTROLLER_NAME)
    .sort(byAge);
  return {
    input,
    gatewayClasses,
    gateways,
    routes: input.configs.filter(isKubernetesHttpRoute).sort(byAge),
    grants: input.configs.filter(isReferenceGrant),
    services: new Map(input.services.map((s) => [`${s.namespace}/${s.name}`, s])),
    namespaceLabels: new Map(input.namespaces.map((n) => [n.name, n.labels])),
  };
}
