import { type MeshService, type WorkloadInstance, selectProtocol, serviceHostname } from '@trellis/mesh-api';
import { annotationProxyEnv } from '@trellis/mesh-inject';
import { GATEWAY_HTTP_TARGET_PORT, GATEWAY_HTTPS_TARGET_PORT, GATEWAY_SERVICE, type GatewayPublish } from './gateway-service';
import type { KubeDeployment, KubeManifest, KubeService } from './manifest';
import { podName } from './pod-names';

/** Where the local stack lives: one loopback /24 (e.g. `127.0.10`) holds every "pod" address. */
export interface LocalPlanOptions {
  readonly addressBlock: string;
  readonly gatewayHost: string;
  readonly gatewayPort: number;
  /** Host port for the gateway's HTTPS port (8443, the `https` Service port's target). */
  readonly gatewayHttpsPort: number;
  readonly namespace: string;
  readonly domainSuffix: string;
}

export interface PodPlan {
  readonly name: string;
  readonly namespace: string;
  readonly deployment: string;
  readonly ip: string;
  readonly labels: Record<string, string>;
  readonly serviceAccount: string;
  /** Bookinfo app to run (`apps/<app>`), with the container's env. */
  readonly app: string;
  /** The main container's name (`kubectl exec -c`). */
  readonly container?: string;
  readonly env: Record<string, string>;
  /** containerPort → where the app really listens (`ip:port`); the sidecar owns `ip:containerPort`. */
  readonly appEndpoints: Record<string, string>;
  /** False: no sidecar (applied without injection); the app listens on `ip:containerPort` itself. Default true. */
  readonly sidecar?: boolean;
  /** The container's command + args when the manifest sets one (e.g. `/bin/sleep infinity`). */
  readonly command?: readonly string[];
  /** The sidecar's env from the pod's annotations, as injection sets it (ISTIO_PROMETHEUS_ANNOTATIONS, PROXY_CONFIG). */
  readonly proxyEnv?: Readonly<Record<string, string>>;
}

export interface LocalPlan {
  /** `caPort`: Istio's 15012, where the control plane serves its CA when it uses Istio's ports. */
  readonly controlPlane: { readonly ip: string; readonly xdsPort: number; readonly httpPort: number; readonly caPort: number };
  readonly gateway: {
    readonly ip: string;
    readonly name: string;
    readonly namespace: string;
    readonly labels: Record<string, string>;
    /** Gateway pod ports bound on the host: 8080 (`--port`), 8443 (`--https-port`). */
    readonly publish: readonly GatewayPublish[];
    /** Its Service (`istio-ingressgateway`, as the cluster's): registered so 443 maps to 8443. */
    readonly service: MeshService;
  };
  readonly services: MeshService[];
  readonly pods: PodPlan[];
}

/** Whether a sidecar fronts the pod (everything but pods applied without injection). */
export const hasSidecar = (pod: PodPlan): boolean => pod.sidecar !== false;

/** The sidecar owns the pod's service port; the app listens 10000 above it on the pod address. */
export const APP_PORT_OFFSET = 10000;

export function toMeshService(svc: KubeService, domainSuffix: string): MeshService {
  return {
    name: svc.name,
    namespace: svc.namespace,
    hostname: serviceHostname(svc.name, svc.namespace, domainSuffix),
    ports: svc.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: selectProtocol(p) })),
    selector: svc.selector,
    labels: svc.labels,
  };
}

/** `trellis/examples-bookinfo-reviews:dev` → `reviews`. */
export function appOfImage(image: string): string {
  const last = image.split('/').pop() ?? image;
  const name = last.split(':')[0] ?? last;
  return name.replace(/^examples-bookinfo-/, '').replace(/-v\d+$/, '');
}

/** `…/examples-bookinfo-ratings-v2:1.20.2` → `v2`: the SERVICE_VERSION Istio's per-version images bake in. */
export function imageServiceVersion(image: string): string | undefined {
  const last = image.split('/').pop() ?? image;
  return /-(v\d+)$/.exec(last.split(':')[0] ?? last)?.[1];
}

function planPod(dep: KubeDeployment, index: number, ip: string): PodPlan {
  const container = dep.containers[0];
  if (!container) throw new Error(`deployment ${dep.name} has no containers`);
  const baked = imageServiceVersion(container.image);
  const sidecar = dep.sidecar ?? true;
  const appEndpoints: Record<string, string> = {};
  for (const port of container.ports) appEndpoints[String(port)] = `${ip}:${port + (sidecar ? APP_PORT_OFFSET : 0)}`;
  return {
    name: podName(dep.name, JSON.stringify(dep.containers) + index),
    namespace: dep.namespace,
    deployment: dep.name,
    ip,
    labels: dep.podLabels,
    serviceAccount: dep.serviceAccount,
    app: appOfImage(container.image),
    container: container.name,
    env: baked === undefined ? container.env : { SERVICE_VERSION: baked, ...container.env },
    appEndpoints,
    sidecar,
    ...(container.command !== undefined && { command: container.command }),
    ...(sidecar && dep.podAnnotations !== undefined && { proxyEnv: annotationProxyEnv(dep.podAnnotations) }),
  };
}

export function planLocalMesh(manifest: KubeManifest, options: LocalPlanOptions): LocalPlan {
  const at = (host: number): string => `${options.addressBlock}.${host}`;
  const pods: PodPlan[] = [];
  for (const dep of manifest.deployments) {
    for (let r = 0; r < dep.replicas; r++) pods.push(planPod(dep, r, at(10 + pods.length)));
  }
  return {
    controlPlane: { ip: at(1), xdsPort: 15010, httpPort: 15014, caPort: 15012 },
    gateway: {
      ip: at(2),
      name: podName('istio-ingressgateway', 'gateway'),
      namespace: 'istio-system',
      labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
      publish: [
        { port: GATEWAY_HTTP_TARGET_PORT, host: options.gatewayHost, hostPort: options.gatewayPort },
        { port: GATEWAY_HTTPS_TARGET_PORT, host: options.gatewayHost, hostPort: options.gatewayHttpsPort },
      ],
      service: toMeshService(GATEWAY_SERVICE, options.domainSuffix),
    },
    services: manifest.services.map((s) => toMeshService(s, options.domainSuffix)),
    pods,
  };
}

/** The registry entry for a planned pod: reachable at its sidecar (pod IP, service port). */
export function toWorkload(pod: PodPlan): WorkloadInstance {
  return {
    name: pod.name,
    namespace: pod.namespace,
    address: pod.ip,
    labels: pod.labels,
    serviceAccount: pod.serviceAccount,
    sidecar: hasSidecar(pod),
    ready: true,
  };
}
