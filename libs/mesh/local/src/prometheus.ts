/**
 * Prometheus in local mode: Debian's `prometheus` (2.42, classic UI at /graph) when it is installed,
 * on the control plane's address :9090 with a generated configuration that scrapes what Istio's
 * `kubernetes-pods` job finds in a cluster: every proxy's status port `:15020/stats/prometheus` (the
 * injector's `prometheus.io/*` annotations; pilot-agent's merged endpoint: the agent's, the proxy's and
 * the app's own metrics), the control plane's `:15014/metrics`, each target labelled as that
 * job's relabelling labels it (`namespace`, `pod`, the pod's labels). There is no service discovery:
 * the pods are fixed when the stack starts, so the targets are static. Without the binary the stack
 * starts anyway and says which package to install.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { PROMETHEUS_PORT } from './addon-services';
import { hasSidecar, type LocalPlan } from './plan';
import type { ProcessSpec } from './processes';

export const PROMETHEUS_PACKAGE = 'prometheus';
export const PROMETHEUS_INSTALL = `apt-get install -y ${PROMETHEUS_PACKAGE}`;
/** Small, so a few requests show up in queries within seconds (Istio's addon uses 15s). */
export const LOCAL_SCRAPE_INTERVAL = '2s';
/** pilot-agent's status port, where the merged /stats/prometheus is (the proxy's alone stays on 15090). */
const PROXY_STATS_PORT = 15020;

/** PATH, then Debian's location. */
export function prometheusSearchDirs(pathEnv = process.env['PATH'] ?? ''): string[] {
  return [...pathEnv.split(':'), '/usr/bin', '/usr/local/bin'].filter((d) => path.isAbsolute(d));
}

/** The `prometheus` binary, or undefined when it is not installed. */
export function findPrometheus(dirs: readonly string[] = prometheusSearchDirs()): string | undefined {
  return dirs.map((d) => path.join(d, 'prometheus')).find((file) => existsSync(file));
}

/** A Kubernetes label key as Prometheus's labelmap of `__meta_kubernetes_pod_label_<key>` leaves it. */
export const promLabelName = (key: string): string => key.replace(/[^a-zA-Z0-9_]/g, '_');

interface StaticTarget {
  targets: string[];
  labels: Record<string, string>;
}

function podTarget(address: string, namespace: string, pod: string, labels: Record<string, string>, metricsPath?: string): StaticTarget {
  const mapped = Object.fromEntries(Object.entries(labels).map(([k, v]) => [promLabelName(k), v]));
  return { targets: [address], labels: { ...mapped, namespace, pod, ...(metricsPath !== undefined && { __metrics_path__: metricsPath }) } };
}

/** The scrape targets: gateway, every sidecar, the control plane (its own metrics path). */
export function prometheusTargets(plan: LocalPlan): StaticTarget[] {
  const gw = plan.gateway;
  const cp = plan.controlPlane;
  return [
    podTarget(`${cp.ip}:${cp.httpPort}`, 'istio-system', 'istiod', { app: 'istiod', istio: 'pilot' }, '/metrics'),
    podTarget(`${gw.ip}:${PROXY_STATS_PORT}`, gw.namespace, gw.name, gw.labels),
    ...plan.pods.filter(hasSidecar).map((p) => podTarget(`${p.ip}:${PROXY_STATS_PORT}`, p.namespace, p.name, p.labels)),
  ];
}

/** prometheus.yml for the stack (an object; `writePrometheusConfig` writes it as YAML). */
export function prometheusConfig(plan: LocalPlan, scrapeInterval = LOCAL_SCRAPE_INTERVAL): Record<string, unknown> {
  return {
    global: { scrape_interval: scrapeInterval, scrape_timeout: scrapeInterval, evaluation_interval: '15s' },
    scrape_configs: [
      { job_name: 'kubernetes-pods', honor_labels: true, metrics_path: '/stats/prometheus', static_configs: prometheusTargets(plan) },
      { job_name: 'prometheus', static_configs: [{ targets: [`${plan.controlPlane.ip}:${PROMETHEUS_PORT}`] }] },
    ],
  };
}

/** A fresh data dir and config under `dir` (like the addon's emptyDir); returns the process to start. */
export function preparePrometheus(binary: string, plan: LocalPlan, dir: string): ProcessSpec {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'data'), { recursive: true });
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(config, stringify(prometheusConfig(plan)));
  return {
    name: 'prometheus',
    command: binary,
    script: '',
    args: [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      '--storage.tsdb.retention.time=6h',
      `--web.listen-address=${plan.controlPlane.ip}:${PROMETHEUS_PORT}`,
      '--web.enable-lifecycle',
    ],
    env: {},
  };
}
