import type { Component, DeployManifest, DeployObject } from './deploy-manifests';
import { meshConfigSets, withMeshConfigSets } from './mesh-config-set';
import type { ResolvedInstall } from './resolve';

/** deploy/'s components in istioctl's install order: core, istiod, egress gateways, ingress gateways. */
export const COMPONENT_ORDER = ['crds', 'control-plane', 'egress-gateway', 'gateway'] as const;

const isIngressService = (o: DeployObject): boolean => o.kind === 'Service' && o.metadata.name === 'istio-ingressgateway';

/** `values.gateways.istio-ingressgateway.type`: the Service's type; ClusterIP drops the nodePorts the API server would refuse. */
function withServiceType(m: DeployManifest, type: string): DeployManifest {
  const spec = (m.object['spec'] ?? {}) as { ports?: Record<string, unknown>[] };
  const ports = type === 'ClusterIP' ? spec.ports?.map(({ nodePort: _dropped, ...port }) => port) : spec.ports;
  return { ...m, object: { ...m.object, spec: { ...spec, type, ...(ports === undefined ? {} : { ports }) } } };
}

/** The components `install` applies for `r`, in order, with its MeshConfig and Service type written in. Pure. */
export function renderInstall(all: readonly Component[], r: ResolvedInstall): Component[] {
  const wanted: Record<(typeof COMPONENT_ORDER)[number], boolean> = {
    crds: r.base,
    'control-plane': r.pilot,
    'egress-gateway': r.egressGateway,
    gateway: r.ingressGateway,
  };
  const chosen = COMPONENT_ORDER.filter((name) => wanted[name]).flatMap((name) => all.filter((c) => c.name === name));
  const type = r.ingressServiceType;
  const typed = type === undefined ? chosen : chosen.map((c) => ({ ...c, manifests: c.manifests.map((m) => (isIngressService(m.object) ? withServiceType(m, type) : m)) }));
  return r.pilot ? withMeshConfigSets(typed, meshConfigSets(r.meshConfig)) : typed;
}
