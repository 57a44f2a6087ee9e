import type { Gateway, KubernetesGateway, MeshService } from '@trellis/mesh-api';
import { condition, REASON, type Condition } from './conditions';
import { generationOf, keyOf, nsOf, type ConvertContext } from './context';
import type { GatewayDeployment } from './contract';
import { convertListener, namespacePolicy, type ListenerInfo, type ListenerResult } from './listeners';
import { deployedServiceName, GATEWAY_NAME_LABEL, internalGatewayName, ISTIO_GATEWAY_NAME_LABEL, serviceHost } from './names';

/** One converted Gateway: its Istio Gateways, what routes bind to, and what its status needs. */
export interface ConvertedGateway {
  gateway: KubernetesGateway;
  configs: Gateway[];
  listeners: ListenerInfo[];
  results: ListenerResult[];
  /** The Service fronting the gateway (deployed `<name>-istio`, or the manual address's). */
  serviceHost: string;
  service?: MeshService;
  addressProblem?: string;
  deployment?: GatewayDeployment;
}

/** Manual deployment (`spec.addresses`): the Service a Hostname address names; its selector picks the gateway pods. */
function manualService(ctx: ConvertContext, gw: KubernetesGateway): { host: string; service?: MeshService; problem?: string } {
  const addresses = gw.spec.addresses ?? [];
  const hostname = addresses.find((a) => a.type === 'Hostname');
  if (hostname === undefined) {
    return { host: addresses.map((a) => a.value).join(','), problem: `only Hostname is supported, ignoring [${addresses.map((a) => a.value).join(' ')}]` };
  }
  const service = [...ctx.services.values()].find((s) => s.hostname === hostname.value);
  return service ? { host: hostname.value, service } : { host: hostname.value, problem: `Failed to assign to any requested addresses: hostname "${hostname.value}" not found` };
}

function deploymentOf(gw: KubernetesGateway): GatewayDeployment {
  const name = gw.metadata.name;
  const seen = new Set<number>();
  const ports = [{ name: 'status-port', port: 15021, protocol: 'TCP' as const }];
  for (const l of gw.spec.listeners) {
    if (seen.has(l.port)) continue;
    seen.add(l.port);
    ports.push({ name: l.name, port: l.port, protocol: 'TCP' });
  }
  const labels = { ...(gw.spec.infrastructure?.labels ?? {}), [GATEWAY_NAME_LABEL]: name, [ISTIO_GATEWAY_NAME_LABEL]: name };
  return { namespace: nsOf(gw), name, serviceName: deployedServiceName(name), ports, labels };
}

function istioGateway(gw: KubernetesGateway, listener: string, result: ListenerResult, selector: Record<string, string>): Gateway | undefined {
  if (result.server === undefined) return undefined;
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: {
      name: internalGatewayName(gw.metadata.name, listener),
      namespace: nsOf(gw),
      annotations: { 'internal.istio.io/parents': `Gateway/${gw.metadata.name}/${listener}.${nsOf(gw)}` },
      ...(gw.metadata.creationTimestamp ? { creationTimestamp: gw.metadata.creationTimestamp } : {}),
    },
    spec: { selector, servers: [result.server] },
  };
}

/** A Gateway of class `istio` → one Istio Gateway per usable listener, selecting its gateway pods as istiod does. */
export function convertGateway(ctx: ConvertContext, gw: KubernetesGateway): ConvertedGateway {
  const automated = (gw.spec.addresses ?? []).length === 0;
  const manual = automated ? undefined : manualService(ctx, gw);
  const host = manual?.host ?? serviceHost(deployedServiceName(gw.metadata.name), nsOf(gw), ctx.input.domainSuffix);
  const service = manual?.service ?? ctx.services.get(`${nsOf(gw)}/${deployedServiceName(gw.metadata.name)}`);
  const selector = manual?.service?.selector ?? { [GATEWAY_NAME_LABEL]: gw.metadata.name };
  const results = gw.spec.listeners.map((l) => convertListener(ctx, gw, l));
  const configs: Gateway[] = [];
  const listeners = gw.spec.listeners.map((l, i): ListenerInfo => {
    const result = results[i] as ListenerResult;
    const config = manual?.problem === undefined ? istioGateway(gw, l.name, result, selector) : undefined;
    if (config !== undefined) configs.push(config);
    const info: ListenerInfo = { gateway: gw, listener: l, allowsHttpRoute: result.supportedKinds.length > 0, allowsNamespace: namespacePolicy(ctx, gw, l).allows };
    return config === undefined ? info : { ...info, internalName: `${nsOf(gw)}/${config.metadata.name}` };
  });
  return {
    gateway: gw,
    configs,
    listeners,
    results,
    serviceHost: host,
    ...(service ? { service } : {}),
    ...(manual?.problem !== undefined ? { addressProblem: manual.problem } : {}),
    ...(automated ? { deployment: deploymentOf(gw) } : {}),
  };
}

const isIp = (v: string): boolean => /^[0-9.]+$/.test(v) || v.includes(':');

/** Gateway status: Accepted / Programmed / ResolvedRefs, addresses, and each listener's status. */
export function gatewayStatus(ctx: ConvertContext, c: ConvertedGateway, listenerStatuses: Record<string, unknown>[]): Record<string, unknown> {
  const g = generationOf(c.gateway);
  const known = ctx.input.gatewayAddresses.get(keyOf(c.gateway)) ?? (c.service?.address ? [c.service.address] : []);
  const addresses = known.map((value) => ({ type: isIp(value) ? 'IPAddress' : 'Hostname', value }));
  const anyValid = c.results.some((r) => r.server !== undefined);
  const ports = [...new Set(c.gateway.spec.listeners.map((l) => l.port))].map((p) => `${c.serviceHost}:${p}`).join(', ');
  const conditions: Condition[] = [
    anyValid
      ? condition('Accepted', true, REASON.accepted, 'Resource accepted', g)
      : condition('Accepted', false, REASON.listenersNotValid, "None of the Gateway's listeners are valid", g),
    programmed(c, addresses.length > 0, ports, g),
    condition('ResolvedRefs', true, REASON.resolvedRefs, 'All references resolved', g),
  ];
  return { addresses, conditions, listeners: listenerStatuses };
}

function programmed(c: ConvertedGateway, addressed: boolean, ports: string, g: number): Condition {
  if (c.addressProblem !== undefined) return condition('Programmed', false, REASON.unsupportedAddress, c.addressProblem, g);
  if (!addressed) {
    return condition('Programmed', false, REASON.addressNotAssigned, `Failed to assign to any requested addresses: hostname "${c.serviceHost}" not found`, g);
  }
  return condition('Programmed', true, REASON.programmed, `Resource programmed, assigned to service(s) ${ports}`, g);
}
