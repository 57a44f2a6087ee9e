/** The VirtualServices and DestinationRules that concern one Service (its short, namespaced or FQDN host). */
import type { DestinationRule, IstioConfig, VirtualService } from '@trellis/mesh-api';
import type { InventoryService } from '@trellis/kiali-traffic';

export function hostNamesOf(s: InventoryService): string[] {
  return [s.name, `${s.name}.${s.namespace}`, `${s.name}.${s.namespace}.svc`, s.hostname];
}

const isVs = (c: IstioConfig): c is VirtualService => c.kind === 'VirtualService';
const isDr = (c: IstioConfig): c is DestinationRule => c.kind === 'DestinationRule';

export function virtualServicesFor(s: InventoryService, config: readonly IstioConfig[]): VirtualService[] {
  const names = hostNamesOf(s);
  return config.filter(isVs).filter((vs) => {
    const routes = [...(vs.spec.http ?? []), ...(vs.spec.tcp ?? []), ...(vs.spec.tls ?? [])].flatMap((r) => r.route ?? []);
    return (vs.spec.hosts ?? []).some((h) => names.includes(h)) || routes.some((r) => names.includes(r.destination.host));
  });
}

export function destinationRulesFor(s: InventoryService, config: readonly IstioConfig[]): DestinationRule[] {
  const names = hostNamesOf(s);
  return config.filter(isDr).filter((dr) => names.includes(dr.spec.host));
}
