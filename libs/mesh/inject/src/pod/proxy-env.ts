import { PODINFO_LABELS_FILE } from './constants';
import { PROMETHEUS_ENV } from './metadata';
import type { ResolvedMeshConfig } from './mesh-config';
import type { Container, EnvVar, Labels } from './types';
import type { Workload } from './workload';

export interface ProxyEnvInput {
  readonly config: ResolvedMeshConfig;
  /** The pod's labels after injection (what the proxy reports as its workload labels). */
  readonly labels: Labels;
  readonly appContainers: readonly Container[];
  readonly workload: Workload;
  /** The app's original `prometheus.io/*` annotations as JSON, if any. */
  readonly prometheusOriginal: string | undefined;
  /** The pod's `proxy.istio.io/config` annotation (ProxyConfig YAML), as JSON; undefined when absent or not a mapping. */
  readonly proxyConfig?: string;
}

const field = (name: string, fieldPath: string): EnvVar => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });

/** Kubernetes expands `$(VAR)` in env values; user data must not be expanded, so `$(` → `$$(`. */
function literal(name: string, value: string): EnvVar {
  return { name, value: value.replace(/\$\(/g, () => '$$(') };
}

function podPorts(apps: readonly Container[]): string {
  return JSON.stringify(apps.flatMap((c) => c.ports ?? []));
}

function optional(input: ProxyEnvInput): EnvVar[] {
  const { config, workload, prometheusOriginal } = input;
  const env: EnvVar[] = [];
  if (workload.owner) env.push(literal('ISTIO_META_OWNER', workload.owner));
  if (prometheusOriginal) env.push(literal(PROMETHEUS_ENV, prometheusOriginal));
  // Istio's injector hands the agent the pod's ProxyConfig as PROXY_CONFIG (sent as node metadata).
  if (input.proxyConfig !== undefined) env.push(literal('PROXY_CONFIG', input.proxyConfig));
  if (config.accessLog !== undefined) env.push(literal('TRELLIS_ACCESS_LOG', String(config.accessLog)));
  if (config.drainMs !== undefined) env.push(literal('TRELLIS_DRAIN_MS', String(config.drainMs)));
  return env;
}

/**
 * The proxy's environment (apps/proxy/src/config.ts): identity from the downward API, the control
 * plane address, the pod labels twice (a JSON literal from injection time, and the downward-API file
 * that tracks later label changes — the file wins when present), and Istio's `ISTIO_META_*` node metadata.
 */
export function proxyEnv(input: ProxyEnvInput): EnvVar[] {
  const { config, labels, appContainers, workload } = input;
  return [
    field('POD_NAME', 'metadata.name'),
    field('POD_NAMESPACE', 'metadata.namespace'),
    field('INSTANCE_IP', 'status.podIP'),
    field('SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    field('HOST_IP', 'status.hostIP'),
    literal('TRELLIS_XDS_ADDRESS', config.discoveryAddress),
    literal('CA_ADDR', config.caAddress),
    literal('INTERCEPTION_MODE', 'REDIRECT'),
    literal('TRELLIS_POD_LABELS', JSON.stringify(labels)),
    literal('TRELLIS_POD_LABELS_FILE', PODINFO_LABELS_FILE),
    literal('ISTIO_META_POD_PORTS', podPorts(appContainers)),
    literal('ISTIO_META_APP_CONTAINERS', appContainers.map((c) => c.name).join(',')),
    literal('ISTIO_META_INTERCEPTION_MODE', 'REDIRECT'),
    literal('ISTIO_META_WORKLOAD_NAME', workload.name),
    ...optional(input),
  ];
}
