import type { Tree } from './operator-tree';

/**
 * Istio's installation profiles (manifests/profiles/*.yaml), reduced to what Trellis installs. As istioctl,
 * every profile is an overlay on `default`: default = base (CRDs) + istiod + istio-ingressgateway; demo adds
 * istio-egressgateway and the helm profile `demo`; minimal is istiod only.
 */
export const PROFILES: Readonly<Record<string, Tree>> = {
  default: {
    components: {
      base: { enabled: true },
      pilot: { enabled: true },
      ingressGateways: [{ name: 'istio-ingressgateway', enabled: true }],
      egressGateways: [{ name: 'istio-egressgateway', enabled: false }],
    },
    values: { global: { istioNamespace: 'istio-system' } },
  },
  demo: {
    components: { egressGateways: [{ name: 'istio-egressgateway', enabled: true }] },
    values: { profile: 'demo' },
  },
  minimal: {
    components: { ingressGateways: [{ name: 'istio-ingressgateway', enabled: false }] },
  },
};

export const PROFILE_NAMES = Object.keys(PROFILES);

/**
 * The helm profiles `values.profile` names (manifests/helm-profiles/*.yaml): what of them Trellis has. demo's
 * access log to stdout and 100 % trace sampling (`pilot.traceSampling: 100`, istiod's PILOT_TRACE_SAMPLING);
 * its resource requests, ports and extension providers for collectors Trellis does not ship are left out.
 */
export const HELM_PROFILES: Readonly<Record<string, Tree>> = {
  demo: { meshConfig: { accessLogFile: '/dev/stdout' }, pilot: { traceSampling: 100 } },
};

/** The gateway names Trellis ships (deploy/gateway, deploy/egress-gateway). */
export const INGRESS_GATEWAY = 'istio-ingressgateway';
export const EGRESS_GATEWAY = 'istio-egressgateway';
