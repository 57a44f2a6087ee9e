import type { LocalPlan, PodPlan } from './plan';

const pod = (name: string, ip: string, labels: Record<string, string>, sidecar = true): PodPlan => ({
  name,
  namespace: 'default',
  deployment: name.replace(/-[^-]+-[^-]+$/, ''),
  ip,
  labels,
  serviceAccount: 'bookinfo',
  app: labels['app'] ?? 'x',
  env: {},
  appEndpoints: {},
  sidecar,
});

/** A small plan for addon tests: control plane .1, gateway .2, reviews-v3 (sidecar) .10, sleep (none) .11. */
export const testPlan = (block: string): LocalPlan => ({
  controlPlane: { ip: `${block}.1`, xdsPort: 15010, httpPort: 15014, caPort: 15012 },
  gateway: {
    ip: `${block}.2`,
    name: 'istio-ingressgateway-abc-def',
    namespace: 'istio-system',
    labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
    publish: [],
    service: { name: 'istio-ingressgateway', namespace: 'istio-system', hostname: 'istio-ingressgateway.istio-system.svc.cluster.local', ports: [], selector: {} },
  },
  services: [],
  pods: [
    pod('reviews-v3-abc-def', `${block}.10`, { app: 'reviews', version: 'v3', 'sidecar.istio.io/inject': 'true' }),
    pod('sleep-abc-def', `${block}.11`, { app: 'sleep' }, false),
  ],
});

