import type { GatewayClass, IstioConfig } from '@trellis/mesh-api';
import { condition, REASON } from './conditions';
import { buildContext, generationOf, keyOf, nsOf, type ConvertContext } from './context';
import { GATEWAY_CONTROLLER_NAME, type GatewayApiInput, type GatewayApiResult, type GatewayApiStatus } from './contract';
import { convertGateway, gatewayStatus } from './gateways';
import { convertHttpRoutes } from './http-routes';
import { listenerStatus, type ListenerInfo } from './listeners';

const statusOf = (o: IstioConfig, status: Record<string, unknown>): GatewayApiStatus => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  ...(o.metadata.namespace !== undefined && o.kind !== 'GatewayClass' ? { namespace: nsOf(o) } : {}),
  name: o.metadata.name,
  observedGeneration: generationOf(o),
  status,
});

/** GatewayClasses naming istiod's controller are accepted ("Handled by Istio controller"); others are not ours. */
function classStatuses(ctx: ConvertContext): GatewayApiStatus[] {
  return ctx.gatewayClasses
    .filter((c: GatewayClass) => c.spec.controllerName === GATEWAY_CONTROLLER_NAME)
    .map((c) => statusOf(c, { conditions: [condition('Accepted', true, REASON.accepted, 'Handled by Istio controller', generationOf(c))] }));
}

/**
 * istiod's Gateway API conversion: Gateways of class `istio` → Istio Gateways (one per listener,
 * selecting the gateway's pods), HTTPRoutes → VirtualServices bound to them or, with a Service parent,
 * to the mesh; the status every object should carry; the gateways to deploy. Pure: same input, same output.
 */
export function convertGatewayApi(input: GatewayApiInput): GatewayApiResult {
  const ctx = buildContext(input);
  const gateways = ctx.gateways.map((gw) => convertGateway(ctx, gw));
  const listenersByGateway = new Map<string, readonly ListenerInfo[]>(gateways.map((g) => [keyOf(g.gateway), g.listeners]));
  const routes = convertHttpRoutes(ctx, listenersByGateway);
  const status: GatewayApiStatus[] = [...classStatuses(ctx)];
  for (const g of gateways) {
    const listeners = g.listeners.map((l, i) => listenerStatus(g.gateway, l.listener, g.results[i] ?? { supportedKinds: [] }, routes.attachedRoutes.get(l) ?? 0));
    status.push(statusOf(g.gateway, gatewayStatus(ctx, g, listeners)));
  }
  for (const r of routes.statuses) status.push(statusOf(r.route, r.status));
  return {
    configs: [...gateways.flatMap((g) => g.configs), ...routes.virtualServices],
    status,
    deployments: gateways.flatMap((g) => (g.deployment ? [g.deployment] : [])),
  };
}
