/**
 * The contract between the Kiali server app (apps/kiali) and this library.
 *
 * kiali-server implements `KialiInventory` from the control plane's registry API and hands it,
 * with a `MetricsSource`, to `kialiTrafficRoutes`. Everything here is data; no I/O.
 *
 * Errors thrown by the routes are `TrellisError`s with stable codes, converted to Kiali's
 * `{error, detail}` bodies by the server's single error handler:
 *   - `BAD_REQUEST` (400): a malformed query parameter; `context.parameter` names it.
 *   - `NOT_FOUND`   (404): an unknown namespace/app/workload/service on single-item endpoints;
 *                          `context.resource` and `context.name` name it.
 */

import type { Logger } from '@trellis/shared';

/** A Deployment-like group of pods (e.g. `reviews-v2`), grouped by owner. */
export interface InventoryWorkload {
  namespace: string;
  /** Deployment-like name, e.g. `reviews-v2` (pod name minus `-<rs-hash>-<pod-hash>`). */
  name: string;
  app?: string;
  version?: string;
  labels: Record<string, string>;
  serviceAccount: string;
  pods: { name: string; address: string; ready: boolean }[];
  /** True when the pods run a Trellis/Istio sidecar. */
  sidecar: boolean;
}

export interface InventoryService {
  namespace: string;
  name: string;
  /** FQDN, e.g. `reviews.default.svc.cluster.local`. */
  hostname: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  ports: { name: string; port: number; protocol: string }[];
}

export interface KialiInventory {
  namespaces(): Promise<string[]>;
  workloads(namespace?: string): Promise<InventoryWorkload[]>;
  services(namespace?: string): Promise<InventoryService[]>;
}

/** One element of a Prometheus instant vector. `value` is the float (NaN allowed). */
export interface Sample {
  metric: Record<string, string>;
  /** Evaluation time, epoch seconds. */
  timestamp: number;
  value: number;
}

/** One element of a Prometheus range-query matrix: `[epochSeconds, value]` pairs. */
export interface Series {
  metric: Record<string, string>;
  values: [number, number][];
}

/**
 * Where PromQL is evaluated. Implementations never throw for an unreachable/slow backend:
 * they answer `[]` within their timeout (Kiali shows "no traffic").
 * Times are epoch seconds; `step` is seconds.
 */
export interface MetricsSource {
  query(promql: string, time: number): Promise<Sample[]>;
  queryRange(promql: string, start: number, end: number, step: number): Promise<Series[]>;
  readonly name: string;
}

/** Options of the `kialiTrafficRoutes` Fastify plugin. `now` returns epoch milliseconds. */
export interface KialiTrafficOptions {
  inventory: KialiInventory;
  metrics: MetricsSource;
  now?: () => number;
  /** Cluster name for nodes no sample names one for (idle nodes); default Istio's `Kubernetes`. */
  cluster?: string;
}

export interface PrometheusSourceOptions {
  /** Base URL of Prometheus, e.g. `http://127.0.0.1:9090`. */
  url: string;
  /** Per-request bound; default 5000 ms. */
  timeoutMs?: number;
  /** Failures are logged here at warn (rate-limited by the caller's level); default silent. */
  logger?: Logger;
}

export interface InProcessSourceOptions {
  inventory: KialiInventory;
  /** Scrape period of every sidecar's `:15090/stats/prometheus`; default 5000 ms. */
  intervalMs?: number;
  /** Per-scrape bound; default 2000 ms. */
  fetchTimeoutMs?: number;
  /** A pod's stats URL; default `http://<address>:15090/stats/prometheus`. */
  statsUrl?: (pod: InventoryWorkload['pods'][number]) => string;
  /** How long samples are kept (longer rate windows use what is kept); default 600 s. */
  retentionSeconds?: number;
  /** Bound on distinct series kept; new series beyond it are dropped. Default 20000 (about 65 MB at the default retention). */
  maxSeries?: number;
  logger?: Logger;
}
