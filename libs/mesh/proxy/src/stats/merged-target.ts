import { TrellisError } from '@trellis/shared';

/**
 * Where pilot-agent's merged /stats/prometheus (15020) scrapes the application: the injector moves the
 * pod's own `prometheus.io/{scrape,path,port}` annotations into ISTIO_PROMETHEUS_ANNOTATIONS
 * (`{"scrape":"true","path":"/metrics","port":"9080"}`) and points the annotations at 15020. Istio's
 * rules (pilot/cmd/pilot-agent/status/server.go NewServer): `scrape: "false"` → no app scrape;
 * path defaults to /metrics, port to 80; the status port itself is refused (a scrape loop).
 */
export interface AppScrapeTarget {
  readonly host: string;
  readonly port: number;
  readonly path: string;
}

export const PROMETHEUS_ANNOTATIONS_ENV = 'ISTIO_PROMETHEUS_ANNOTATIONS';

function invalidConfig(reason: string): TrellisError {
  return new TrellisError('PROMETHEUS_SCRAPE_CONFIG_INVALID', `invalid prometheus scrape configuration: ${reason}`, { env: PROMETHEUS_ANNOTATIONS_ENV });
}

function field(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalidConfig(`${key} must be a string`);
  return v;
}

/**
 * The app's scrape target from the env's JSON, or undefined when there is none (env unset or empty,
 * `scrape: "false"`). `appEndpoints` (local mode: service port → the app's real `host:port` behind the
 * sidecar) says where the port is served; otherwise it is on the pod's loopback, as Istio's
 * `localhost:<port>`.
 */
export function appScrapeTarget(json: string | undefined, statusPort: number, appEndpoints: Readonly<Record<string, string>> = {}): AppScrapeTarget | undefined {
  if (json === undefined || json.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw invalidConfig(`${PROMETHEUS_ANNOTATIONS_ENV} is not JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidConfig(`${PROMETHEUS_ANNOTATIONS_ENV} must be a JSON object`);
  const o = parsed as Record<string, unknown>;
  if (field(o, 'scrape') === 'false') return undefined;
  const path = field(o, 'path') || '/metrics';
  const portText = field(o, 'port') || '80';
  const port = Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw invalidConfig(`port ${portText} is not a port number`);
  if (port === statusPort) {
    throw invalidConfig(`application port is the same as agent port, which may lead to a recursive loop. Ensure pod does not have prometheus.io/port=${statusPort} label, or that injection is not happening multiple times`);
  }
  const endpoint = appEndpoints[String(port)];
  if (endpoint === undefined) return { host: '127.0.0.1', port, path: path.startsWith('/') ? path : `/${path}` };
  const colon = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(endpoint.slice(colon + 1)), path: path.startsWith('/') ? path : `/${path}` };
}
