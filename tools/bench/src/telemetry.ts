import type { ChildProcess } from 'node:child_process';
import { startApp, waitHttp } from './proc';

/**
 * `bench:proxy --mtls --telemetry`: issue #18's figures on the sidecar→sidecar path, each config pushed
 * with the Telemetry API in the same run — metrics off and no tracing (the baseline), metrics on (Istio's
 * default), then tracing at 1 % and 100 % to a real Zipkin-API collector (apps/trace-store as
 * zipkin.istio-system:9411). Access logs stay off, as Istio's default.
 */
export interface TelemetryStep {
  readonly name: string;
  /** Telemetry `mesh-default` spec in the root namespace. */
  readonly spec: Record<string, unknown>;
  /** Seen in the server sidecar's /config_dump once the step is in force. */
  readonly applied: (dump: string) => boolean;
}

const ALL_METRICS_OFF = { metrics: [{ providers: [{ name: 'prometheus' }], overrides: [{ match: { metric: 'ALL_METRICS' }, disabled: true }] }] };
const sampling = (p: number): Record<string, unknown> => ({ tracing: [{ providers: [{ name: 'zipkin' }], randomSamplingPercentage: p }] });
const hasStats = (dump: string): boolean => dump.includes('stats.PluginConfig');
/** proto3 JSON leaves a zero out: 0 % reads `"random_sampling":{}`. */
const samplingIs = (p: number) => (dump: string): boolean =>
  new RegExp(p === 0 ? '"random_sampling":\\{("value":0)?\\}' : `"random_sampling":\\{"value":${p}\\}`).test(dump.replace(/\s/g, ''));

export const TELEMETRY_STEPS: readonly TelemetryStep[] = [
  { name: 'no telemetry', spec: { ...ALL_METRICS_OFF, ...sampling(0) }, applied: (d) => !hasStats(d) && samplingIs(0)(d) },
  { name: 'metrics', spec: sampling(0), applied: (d) => hasStats(d) && samplingIs(0)(d) },
  { name: 'metrics + tracing 1 %', spec: sampling(1), applied: (d) => hasStats(d) && samplingIs(1)(d) },
  { name: 'metrics + tracing 100 %', spec: sampling(100), applied: (d) => hasStats(d) && samplingIs(100)(d) },
];

async function call(base: string, method: string, url: string, body: unknown): Promise<void> {
  const res = await fetch(base + url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
}

/** The trace store at `<block>.5:9411`, registered as Istio's zipkin Service, and the mesh config naming it. */
export async function startCollector(block: string, controlPlane: string, stateDir: string, children: ChildProcess[]): Promise<void> {
  // On the load generator's CPU: a collector runs elsewhere in a mesh, and on CPU 0 its ingest would queue the proxies under test.
  children.push(startApp('trace-store', ['--host', `${block}.5`, '--port', '9411', '--max-spans', '20000'], {}, '1'));
  await waitHttp(`http://${block}.5:9411/health`);
  const svc = { name: 'zipkin', namespace: 'istio-system', hostname: 'zipkin.istio-system.svc.cluster.local', ports: [{ name: 'http-query', port: 9411, targetPort: 9411, protocol: 'HTTP' }], selector: { app: 'zipkin' } };
  await call(controlPlane, 'PUT', '/api/v1/registry/services/istio-system/zipkin', svc);
  await call(controlPlane, 'PUT', '/api/v1/registry/workloads/istio-system/zipkin-0', { name: 'zipkin-0', namespace: 'istio-system', address: `${block}.5`, labels: { app: 'zipkin' }, serviceAccount: 'default', sidecar: false, ready: true });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${stateDir}/mesh.yaml`, 'extensionProviders:\n- name: zipkin\n  zipkin:\n    service: zipkin.istio-system.svc.cluster.local\n    port: 9411\n');
}

/** Pushes one step and waits (bounded) until the server sidecar runs it. */
export async function applyTelemetryStep(controlPlane: string, serverAdmin: string, step: TelemetryStep): Promise<void> {
  const telemetry = { apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'mesh-default', namespace: 'istio-system' }, spec: step.spec };
  await call(controlPlane, 'POST', '/api/v1/config/apply?namespace=istio-system', { objects: [telemetry] });
  const deadline = Date.now() + 20_000;
  for (;;) {
    const dump = await (await fetch(`${serverAdmin}/config_dump`)).text();
    if (step.applied(dump)) return;
    if (Date.now() > deadline) throw new Error(`telemetry step "${step.name}" not in force after 20 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
