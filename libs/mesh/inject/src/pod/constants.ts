/** Names shared with Istio so `kubectl logs -c istio-proxy`, istioctl and dashboards keep working. */
export const PROXY_CONTAINER = 'istio-proxy';
export const INIT_CONTAINER = 'trellis-init';
export const PODINFO_VOLUME = 'trellis-podinfo';
export const PODINFO_DIR = '/etc/istio/pod';
export const PODINFO_LABELS_FILE = `${PODINFO_DIR}/labels`;
/** Script in the proxy image polling 127.0.0.1:15021/healthz/ready until the proxy is ready. */
export const PROXY_WAIT_COMMAND = '/usr/local/bin/trellis-proxy-wait';
/** The proxy image's capture entry (istio-iptables flags → sh script, see runCaptureCli). */
export const CAPTURE_COMMAND = 'trellis-iptables';

export const PROXY_UID = 1337;
export const STATUS_PORT = 15021;
export const PROMETHEUS_PORT = 15090;
/** The agent's merged metrics (the proxy's plus the app's): where the rewritten `prometheus.io/port` points, as Istio's. */
export const MERGED_METRICS_PORT = 15020;
export const ADMIN_PORT = 15000;

export const Annotation = {
  inject: 'sidecar.istio.io/inject',
  status: 'sidecar.istio.io/status',
  defaultContainer: 'kubectl.kubernetes.io/default-container',
  promScrape: 'prometheus.io/scrape',
  promPort: 'prometheus.io/port',
  promPath: 'prometheus.io/path',
  includeOutboundIPRanges: 'traffic.sidecar.istio.io/includeOutboundIPRanges',
  excludeOutboundIPRanges: 'traffic.sidecar.istio.io/excludeOutboundIPRanges',
  includeInboundPorts: 'traffic.sidecar.istio.io/includeInboundPorts',
  excludeInboundPorts: 'traffic.sidecar.istio.io/excludeInboundPorts',
  includeOutboundPorts: 'traffic.sidecar.istio.io/includeOutboundPorts',
  excludeOutboundPorts: 'traffic.sidecar.istio.io/excludeOutboundPorts',
} as const;

export const Label = {
  inject: 'sidecar.istio.io/inject',
  tlsMode: 'security.istio.io/tlsMode',
  canonicalName: 'service.istio.io/canonical-name',
  canonicalRevision: 'service.istio.io/canonical-revision',
  istioInjection: 'istio-injection',
  trellisInjection: 'trellis-injection',
  revision: 'istio.io/rev',
} as const;
