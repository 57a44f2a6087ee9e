import path from 'node:path';
import { mergeProxyConfig, type ProxyConfigFields } from '@trellis/mesh-inject';
import type { LocalPlan, PodPlan } from './plan';
import { hostsPreloadFile, podHostsFile } from './pod-hosts';
import type { ProcessSpec } from './processes';
import { PROXY_NODE_RUNTIME } from './proxy-runtime';
import { GATEWAY_SERVICE_ACCOUNT, type ProxyCredentials } from './workload-credentials';

/** Where the built apps live and how chatty they are. */
export interface SpecContext {
  readonly distDir: string;
  readonly stateDir: string;
  readonly logLevel: string;
  readonly accessLog: boolean;
  /** The mesh config's `defaultConfig.proxyMetadata`: every proxy's environment, as the injector sets it (proxy-metadata.ts). */
  readonly proxyMetadata?: Readonly<Record<string, string>>;
  /** The mesh config's `defaultConfig`: under each pod's `proxy.istio.io/config` in PROXY_CONFIG (proxy-metadata.ts). */
  readonly defaultProxyConfig?: ProxyConfigFields;
}

const script = (ctx: SpecContext, app: string): string => path.join(ctx.distDir, 'apps', app, 'main.js');
const xdsAddress = (plan: LocalPlan): string => `${plan.controlPlane.ip}:${plan.controlPlane.xdsPort}`;
/**
 * Every proxy process: the proxy app under the proxy's node flags and environment (proxy-runtime.ts), plus `env`;
 * PROXY_CONFIG is the mesh's defaultConfig with the pod's annotation over it, as the injector writes it.
 */
const proxyProcess = (ctx: SpecContext, env: Record<string, string>): Pick<ProcessSpec, 'script' | 'nodeArgs' | 'env'> => {
  const proxyConfig = mergeProxyConfig(ctx.defaultProxyConfig, env['PROXY_CONFIG']);
  return {
    script: script(ctx, 'proxy'),
    nodeArgs: PROXY_NODE_RUNTIME.nodeFlags,
    env: { ...PROXY_NODE_RUNTIME.env, ...ctx.proxyMetadata, ...env, ...(proxyConfig !== undefined && { PROXY_CONFIG: proxyConfig }) },
  };
};

export function controlPlaneSpec(plan: LocalPlan, ctx: SpecContext): ProcessSpec {
  const cp = plan.controlPlane;
  return {
    name: 'control-plane',
    script: script(ctx, 'control-plane'),
    args: ['--host', cp.ip, '--xds-port', String(cp.xdsPort), '--http-port', String(cp.httpPort), '--state-dir', ctx.stateDir],
    env: { LOG_LEVEL: ctx.logLevel },
  };
}

function appPort(pod: PodPlan): number {
  const endpoint = Object.values(pod.appEndpoints)[0] ?? `${pod.ip}:19080`;
  return Number(endpoint.split(':')[1]);
}

/** The Bookinfo app, resolving names through the pod's hosts file (`pod-hosts.ts`) as a pod's /etc/hosts. */
export function appSpec(pod: PodPlan, ctx: SpecContext): ProcessSpec {
  return {
    name: pod.name,
    script: script(ctx, pod.app),
    nodeArgs: ['--require', hostsPreloadFile(ctx.stateDir)],
    args: [],
    env: {
      ...pod.env,
      TRELLIS_HOSTS_FILE: podHostsFile(ctx.stateDir, pod),
      HOST: pod.ip,
      PORT: String(appPort(pod)),
      HOSTNAME: pod.name,
      // The app's outbound calls go to its sidecar, which routes them by Host like a captured request.
      HTTP_PROXY: `http://${pod.ip}:15001`,
      LOG_LEVEL: ctx.logLevel,
    },
  };
}

/** The agent's flags: the CA, the root that verifies it, the pod's token (none: the proxy has no certificate). */
function credentialArgs(creds: ProxyCredentials | undefined): Record<string, string> {
  return creds === undefined ? {} : { 'ca-address': creds.caAddress, 'ca-root-cert': creds.rootCertFile, 'token-file': creds.tokenFile };
}

/** Every proxy shares this host: its admin/health/Prometheus ports bind its own loopback address. */
function proxyArgs(ctx: SpecContext, common: Record<string, string>, creds: ProxyCredentials | undefined): string[] {
  const args = Object.entries({ ...common, ...credentialArgs(creds), 'ops-bind': 'instance-ip' }).flatMap(([k, v]) => [`--${k}`, v]);
  return ctx.accessLog ? [...args, '--access-log'] : args;
}

/** What a proxy is: its mode, xDS server and pod identity (the proxy app's node flags). */
interface ProxyIdentity {
  readonly name: string;
  readonly namespace: string;
  readonly ip: string;
  readonly labels: Record<string, string>;
  readonly serviceAccount: string;
}

function identityArgs(mode: 'sidecar' | 'router', pod: ProxyIdentity, plan: LocalPlan): Record<string, string> {
  return {
    mode,
    'xds-address': xdsAddress(plan),
    ip: pod.ip,
    'pod-name': pod.name,
    namespace: pod.namespace,
    labels: JSON.stringify(pod.labels),
    'service-account': pod.serviceAccount,
    interception: 'NONE',
  };
}

export function sidecarSpec(pod: PodPlan, plan: LocalPlan, ctx: SpecContext, creds?: ProxyCredentials): ProcessSpec {
  const appEndpoints = Object.entries(pod.appEndpoints).map(([port, ep]) => `${port}=${ep}`).join(',');
  return {
    name: `${pod.name}.istio-proxy`,
    ...proxyProcess(ctx, { ...pod.proxyEnv, LOG_LEVEL: ctx.logLevel }),
    args: proxyArgs(ctx, { ...identityArgs('sidecar', pod, plan), 'app-endpoints': appEndpoints }, creds),
  };
}

export function gatewaySpec(plan: LocalPlan, ctx: SpecContext, creds?: ProxyCredentials): ProcessSpec {
  const gw = plan.gateway;
  return {
    name: gw.name,
    ...proxyProcess(ctx, { LOG_LEVEL: ctx.logLevel }),
    args: proxyArgs(ctx, {
      ...identityArgs('router', { ...gw, serviceAccount: GATEWAY_SERVICE_ACCOUNT }, plan),
      publish: gw.publish.map((p) => `${p.port}=${p.host}:${p.hostPort}`).join(','),
    }, creds),
  };
}

/** A Gateway API gateway's router (Istio's automated deployment, here a process on its own pod address). */
export function gatewayApiProxySpec(pod: ProxyIdentity, plan: LocalPlan, ctx: SpecContext, creds?: ProxyCredentials): ProcessSpec {
  return {
    name: pod.name,
    ...proxyProcess(ctx, { LOG_LEVEL: ctx.logLevel }),
    args: proxyArgs(ctx, identityArgs('router', pod, plan), creds),
  };
}

export const appReadyUrl = (pod: PodPlan): string => `http://${pod.ip}:${appPort(pod)}/health`;
/** The app's first endpoint as host and port (for TCP readiness). */
export const appEndpoint = (pod: PodPlan): { host: string; port: number } => ({ host: pod.ip, port: appPort(pod) });
export const proxyReadyUrl = (ip: string): string => `http://${ip}:15021/healthz/ready`;
