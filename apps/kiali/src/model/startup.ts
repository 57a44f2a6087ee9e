/**
 * The constant and near-constant answers the UI loads at start-up (contract §4.1–§4.8): anonymous
 * auth, the server configuration (every sub-object the UI reads without guards), the about box and
 * the per-namespace permissions. Trellis's Kiali lets the UI write VirtualServices and
 * DestinationRules (the wizards) through the control plane, nothing else.
 */
export const KIALI_VERSION = '1.31.0';
export const ISTIO_COMPAT_VERSION = '1.9.0';

export interface Permissions {
  create: boolean;
  update: boolean;
  delete: boolean;
}

export const READ_ONLY: Permissions = { create: false, update: false, delete: false };
export const WRITABLE: Permissions = { create: true, update: true, delete: true };

/** Object types the wizards may write (Traffic Shifting and friends write a VirtualService and a DestinationRule). */
export const WRITABLE_TYPES: readonly string[] = ['virtualservices', 'destinationrules'];

export function permissionsFor(plural: string): Permissions {
  return WRITABLE_TYPES.includes(plural) ? { ...WRITABLE } : { ...READ_ONLY };
}

export const AUTH_INFO = { strategy: 'anonymous', sessionInfo: {} };

export interface StatusInput {
  readonly metricsSource: string;
  readonly prometheusUrl?: string;
  readonly tracingUrl?: string;
}

export interface ExternalService {
  name: string;
  version?: string;
  url?: string;
}

export function statusBody(input: StatusInput): { status: Record<string, string>; externalServices: ExternalService[]; warningMessages: string[] } {
  const external: ExternalService[] = [{ name: 'Istio', version: `Trellis (Istio ${ISTIO_COMPAT_VERSION} API)` }];
  if (input.prometheusUrl !== undefined) external.push({ name: 'Prometheus', url: input.prometheusUrl });
  if (input.tracingUrl !== undefined) external.push({ name: 'Zipkin', url: input.tracingUrl });
  const warnings = input.prometheusUrl === undefined ? [`No Prometheus configured: traffic data comes from Trellis's in-process scraper of the proxies' metrics (${input.metricsSource}), kept for a short window only`] : [];
  return {
    status: {
      'Kiali state': 'running',
      'Kiali console version': KIALI_VERSION,
      'Kiali core version': `v${KIALI_VERSION}`,
      'Kiali core commit hash': 'trellis',
      'Kiali container version': 'trellis',
    },
    externalServices: external,
    warningMessages: warnings,
  };
}

export const JAEGER_DISABLED = { enabled: false, integration: false, url: '', namespaceSelector: true, whiteListIstioSystem: [] as string[] };

const tolerance = (code: string, degraded: number, failure: number, protocol: string): Record<string, string | number> => ({ code, degraded, failure, protocol, direction: '.*' });

export function serverConfig(istioNamespace: string, scrapeIntervalSeconds: number): Record<string, unknown> {
  return {
    clusterInfo: {},
    extensions: { iter8: { enabled: false, namespace: 'iter8' } },
    healthConfig: {
      rate: [
        {
          tolerance: [
            tolerance('5XX', 0, 10, 'http'),
            tolerance('4XX', 10, 20, 'http'),
            tolerance('^[1-9]$|^1[0-6]$', 0, 10, 'grpc'),
            tolerance('^-$', 0, 10, 'http|grpc'),
          ],
        },
      ],
    },
    installationTag: 'Trellis Console',
    istioAnnotations: { istioInjectionAnnotation: 'sidecar.istio.io/inject' },
    istioStatusEnabled: true,
    istioIdentityDomain: 'svc.cluster.local',
    istioNamespace,
    istioComponentNamespaces: {},
    istioLabels: { appLabelName: 'app', injectionLabelName: 'istio-injection', versionLabelName: 'version' },
    istioConfigMap: 'istio',
    kialiFeatureFlags: { istioInjectionAction: false, uiDefaults: { metricsPerRefresh: '1m', namespaces: [], refreshInterval: '15s' } },
    prometheus: { globalScrapeInterval: scrapeIntervalSeconds, storageTsdbRetention: 604800 },
  };
}
