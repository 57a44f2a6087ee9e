import { labelsMatch } from '@trellis/mesh-api';
import type { ServiceRegistry } from '../registry/service-registry';

/** Where to connect for a URL's host and port instead of resolving it (the URL's Host is still sent). */
export interface DialTarget {
  readonly host: string;
  readonly port: number;
}

export type Dialer = (url: URL) => DialTarget | undefined;

/**
 * Local mode has no cluster DNS: a `jwksUri` naming a Service (`http://jwt-server.istio-system.svc.cluster.local:8000/jwks`,
 * as Istio's tasks write it) is dialled at a ready workload of that Service on the port's target port,
 * the way kube-proxy would route istiod's request in a cluster. Other hosts resolve normally.
 */
export function registryDialer(registry: ServiceRegistry): Dialer {
  return (url) => {
    const service = registry.services().find((s) => s.hostname === url.hostname);
    if (service === undefined) return undefined;
    const port = Number(url.port !== '' ? url.port : url.protocol === 'https:' ? 443 : 80);
    const sp = service.ports.find((p) => p.port === port);
    if (sp === undefined) return undefined;
    const target = sp.targetPort;
    const w = registry.workloads().find((x) => x.ready && x.namespace === service.namespace && labelsMatch(service.selector, x.labels));
    if (w === undefined) return undefined;
    return { host: w.address, port: w.ports?.[String(target)] ?? target };
  };
}
