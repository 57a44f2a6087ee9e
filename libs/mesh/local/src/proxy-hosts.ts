/**
 * The ingress gateway's resolver in local mode. Envoy resolves STRICT_DNS / LOGICAL_DNS cluster
 * hosts (an EnvoyFilter's CLUSTER ADD, as Istio's rate-limit task adds `ratelimit.default.svc.cluster.local:8081`)
 * through cluster DNS, which answers a Service's name with its ClusterIP. Local mode has neither, so
 * the gateway gets a hosts file like a pod's: every Service's names → the address of a pod it selects
 * (its sidecar owns `podIP:port`, as kube-proxy would forward there), read by the same preload.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { labelsMatch } from '@trellis/mesh-api';
import type { LocalPlan } from './plan';
import { hostsPreloadFile, serviceDnsNames } from './pod-hosts';
import type { ProcessSpec } from './processes';

export function gatewayHostsText(plan: LocalPlan): string {
  const gw = plan.gateway;
  const lines = ['127.0.0.1\tlocalhost', `${gw.ip}\t${gw.name}`];
  for (const svc of plan.services) {
    const pod = plan.pods.find((p) => p.namespace === svc.namespace && Object.keys(svc.selector ?? {}).length > 0 && labelsMatch(svc.selector, p.labels));
    if (pod !== undefined) lines.push(`${pod.ip}\t${serviceDnsNames(svc, gw.namespace).join(' ')}`);
  }
  return lines.join('\n') + '\n';
}

/** The gateway's spec with the resolver: its hosts file written, the preload (written with the pods' files) required. */
export function withGatewayResolver(spec: ProcessSpec, plan: LocalPlan, stateDir: string): ProcessSpec {
  const file = path.join(stateDir, 'pods', plan.gateway.name, 'hosts');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, gatewayHostsText(plan));
  return { ...spec, nodeArgs: [...(spec.nodeArgs ?? []), '--require', hostsPreloadFile(stateDir)], env: { ...spec.env, TRELLIS_HOSTS_FILE: file } };
}
