import type { MeshService, WorkloadInstance } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import type { DumpListener } from '../proxy-config/envoy-access';
import { observedMtls } from '../describe/observed-mtls';
import { findPod } from '../describe/describe-pod';
import type { CheckConnection, CheckRequest } from './check-types';

/** What the user asked, as parsed flags. */
export interface CheckOptions {
  readonly port?: number;
  readonly from?: string;
  readonly method: string;
  readonly path: string;
  readonly host?: string;
  readonly headers: readonly string[];
  readonly jwt?: string;
  readonly sourceIp?: string;
  readonly tcp: boolean;
  readonly trustDomain: string;
}

export const AUTHZ_CHECK_INVALID = 'AUTHZ_CHECK_INVALID';

/** A gateway pod (Istio's ingress/egress gateways, Gateway API deployments): its listeners serve clients directly. */
export function isGateway(w: WorkloadInstance): boolean {
  return w.labels['istio'] === 'ingressgateway' || w.labels['istio'] === 'egressgateway' || w.labels['gateway.networking.k8s.io/gateway-name'] !== undefined;
}

const selects = (s: MeshService, w: WorkloadInstance): boolean =>
  s.namespace === w.namespace && Object.keys(s.selector).length > 0 && Object.entries(s.selector).every(([k, v]) => w.labels[k] === v);

/** The pod port asked for, else the first target port of a Service selecting the pod (a gateway: 8080). */
export function targetPort(o: CheckOptions, pod: WorkloadInstance, services: readonly MeshService[]): number {
  if (o.port !== undefined) return o.port;
  if (isGateway(pod)) return 8080;
  const port = services.filter((s) => selects(s, pod)).flatMap((s) => s.ports.map((p) => p.targetPort))[0];
  if (port === undefined) throw new TrellisError(AUTHZ_CHECK_INVALID, `no Service selects pod ${pod.name}.${pod.namespace}: name the port with --port`);
  return port;
}

/** `--from`: a pod (its ServiceAccount's SPIFFE identity, when it has a proxy) or a principal as Istio writes it. */
function source(o: CheckOptions, workloads: readonly WorkloadInstance[], namespace: string): { principal?: string; ip?: string; proxied: boolean } {
  if (o.from === undefined) return { proxied: false };
  if (o.from.includes('/')) return { principal: o.from.startsWith('spiffe://') ? o.from : `spiffe://${o.from}`, proxied: true };
  const dot = o.from.lastIndexOf('.');
  const pod = findPod(workloads, dot < 0 ? o.from : o.from.slice(0, dot), dot < 0 ? namespace : o.from.slice(dot + 1));
  const proxied = pod.sidecar || isGateway(pod);
  return { principal: proxied ? `spiffe://${o.trustDomain}/ns/${pod.namespace}/sa/${pod.serviceAccount}` : undefined, ip: pod.address, proxied };
}

/**
 * The connection the client makes: mTLS (carrying its principal) when it has a proxy and the target's
 * port accepts mTLS — auto mTLS sends plaintext to a DISABLE port — else plaintext without one.
 */
export function checkConnection(o: CheckOptions, pod: WorkloadInstance, port: number, listeners: readonly DumpListener[], workloads: readonly WorkloadInstance[], namespace: string): CheckConnection {
  const src = source(o, workloads, namespace);
  const mode = isGateway(pod) ? undefined : observedMtls(listeners).ports.get(port);
  const mtls = src.principal !== undefined && (isGateway(pod) ? o.from?.includes('/') === true : mode !== 'DISABLE' && mode !== undefined);
  return {
    sourceIp: o.sourceIp ?? src.ip ?? '',
    destinationIp: pod.address,
    destinationPort: port,
    principal: mtls ? src.principal : undefined,
  };
}

function headerPairs(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of raw) {
    const i = h.search(/[=:]/);
    if (i <= 0) throw new TrellisError(AUTHZ_CHECK_INVALID, `--header ${JSON.stringify(h)}: expected name=value`);
    out[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  return out;
}

/** The request: method, path, Host (the Service's name and port unless --host) and headers (+ the JWT). */
export function checkRequest(o: CheckOptions, pod: WorkloadInstance, port: number, services: readonly MeshService[]): CheckRequest {
  if (!o.path.startsWith('/')) throw new TrellisError(AUTHZ_CHECK_INVALID, `--path ${JSON.stringify(o.path)}: must start with /`);
  const svc = services.find((s) => selects(s, pod) && s.ports.some((p) => p.targetPort === port));
  const svcPort = svc?.ports.find((p) => p.targetPort === port)?.port;
  const authority = o.host ?? (svc !== undefined ? `${svc.hostname}:${String(svcPort)}` : `${pod.address}:${port}`);
  const headers = headerPairs(o.headers);
  if (o.jwt !== undefined) headers['authorization'] = `Bearer ${o.jwt}`;
  return { method: o.method.toUpperCase(), path: o.path, authority, headers };
}
