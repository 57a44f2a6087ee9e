import type { KubeService } from './manifest';

/**
 * The ingress gateway's Service as the cluster has it (`deploy/gateway/service.yaml`, Istio's default
 * `istio-ingressgateway`): registered in local mode too, so a Gateway server's `port.number` maps to the
 * gateway pod's port as istiod maps it (80 → 8080, 443 → 8443) and `SECURE_INGRESS_PORT` is the
 * `https` port. No workload backs it locally (the gateway is not in the registry): it has no endpoints.
 */
export const GATEWAY_SERVICE: KubeService = {
  name: 'istio-ingressgateway',
  namespace: 'istio-system',
  labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
  selector: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
  ports: [
    { name: 'status-port', port: 15021, targetPort: 15021 },
    { name: 'http2', port: 80, targetPort: 8080 },
    { name: 'https', port: 443, targetPort: 8443 },
    { name: 'tcp', port: 31400, targetPort: 31400 },
    { name: 'tls', port: 15443, targetPort: 15443 },
  ],
};

/** The gateway pod's ports published on the host (kind's extraPortMappings): the `http2` and `https` targets. */
export const GATEWAY_HTTP_TARGET_PORT = 8080;
export const GATEWAY_HTTPS_TARGET_PORT = 8443;

/** One gateway pod port bound on a host address instead of the pod's (the proxy's `--publish`). */
export interface GatewayPublish {
  readonly port: number;
  readonly host: string;
  readonly hostPort: number;
}
