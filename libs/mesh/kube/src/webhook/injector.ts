import { isIP } from 'node:net';
import * as k8s from '@kubernetes/client-node';
import { silentLogger, type Logger } from '@trellis/shared';
import {
  makeWebhookCertificates, mutatingWebhookConfiguration, startInjectionWebhook,
  type InjectMeshConfig, type WebhookCertificates,
} from '@trellis/mesh-inject';
import { syncWebhookConfiguration, type ConfigurationSyncResult } from './configuration-sync';
import { namespaceLabelCache } from './namespace-labels';

export const DEFAULT_INJECTOR_CONFIGURATION_NAME = 'trellis-sidecar-injector';
export const DEFAULT_PROXY_IMAGE = 'trellis/proxy:dev';

export interface InjectorWebhookOptions {
  readonly kube: k8s.KubeConfig;
  /** Listen address (default `0.0.0.0`). */
  readonly host?: string;
  /** Listen port (default 15017, istiod's; 0 picks a free one). */
  readonly port?: number;
  /** Namespace and Service the apiserver calls (defaults `istio-system`, `istiod`, port 443). */
  readonly namespace?: string;
  readonly serviceName?: string;
  readonly servicePort?: number;
  /**
   * Out-of-cluster: the apiserver calls this URL instead of the Service, e.g.
   * `(port) => \`https://127.0.0.1:${port}/inject\``. Its host (IP or DNS name) is added to the cert's SANs;
   * the function form receives the bound port (and, once before listening, the requested one).
   */
  readonly url?: string | ((port: number) => string);
  /** Merged over `{ proxyImage: 'trellis/proxy:dev', discoveryAddress: '<svc>.<ns>.svc:15010' }`. */
  readonly meshConfig?: Partial<InjectMeshConfig>;
  /** Default `Fail`, as Istio. */
  readonly failurePolicy?: 'Fail' | 'Ignore';
  /** Default `trellis-sidecar-injector`. */
  readonly configurationName?: string;
  /** Namespace-label cache TTL (default 2000 ms). */
  readonly namespaceCacheTtlMs?: number;
  readonly logger?: Logger;
}

export interface InjectorWebhook {
  readonly port: number;
  /** Where the apiserver reaches the webhook (the URL, or `https://<svc>.<ns>.svc:<port>/inject`). */
  readonly endpoint: string;
  /** The CA behind `caBundle` (fresh on every start). */
  readonly caPem: string;
  readonly configurationName: string;
  /** What the start-up sync did to the MutatingWebhookConfiguration. */
  readonly configurationSync: ConfigurationSyncResult;
  /** Re-asserts the MutatingWebhookConfiguration (e.g. after someone edited or deleted it). */
  resync(): Promise<ConfigurationSyncResult>;
  /** Stops serving. The MutatingWebhookConfiguration is left in place (see README). */
  close(): Promise<void>;
}

function resolveUrl(url: InjectorWebhookOptions['url'], port: number): string | undefined {
  return typeof url === 'function' ? url(port) : url;
}

function certificatesFor(o: InjectorWebhookOptions, serviceName: string, namespace: string): WebhookCertificates {
  const url = resolveUrl(o.url, o.port ?? 15017);
  const host = url ? new URL(url).hostname.replace(/^\[(.*)\]$/, '$1') : undefined;
  const extra = host === undefined ? {} : isIP(host) ? { extraIps: [host] } : { extraDnsNames: [host] };
  return makeWebhookCertificates({ serviceName, namespace, ...extra });
}

function meshConfigFor(o: InjectorWebhookOptions, serviceName: string, namespace: string): InjectMeshConfig {
  return { proxyImage: DEFAULT_PROXY_IMAGE, discoveryAddress: `${serviceName}.${namespace}.svc:15010`, ...o.meshConfig };
}

function configurationBody(o: InjectorWebhookOptions, caPem: string, url: string | undefined, name: string): k8s.V1MutatingWebhookConfiguration {
  const service = { name: o.serviceName ?? 'istiod', namespace: o.namespace ?? 'istio-system', port: o.servicePort ?? 443 };
  const failurePolicy = o.failurePolicy ?? 'Fail';
  const config = url ? mutatingWebhookConfiguration({ caBundle: caPem, url, failurePolicy, name }) : mutatingWebhookConfiguration({ caBundle: caPem, service, failurePolicy, name });
  return config as k8s.V1MutatingWebhookConfiguration;
}

/**
 * Runs the sidecar injector against a cluster: a fresh CA + serving cert, the HTTPS AdmissionReview
 * server (namespace labels read through the API with a short TTL cache), then creates or replaces
 * the MutatingWebhookConfiguration with the new caBundle. The server is listening before the
 * configuration points at it, so the apiserver never sees a CA it cannot verify.
 */
export async function runInjectorWebhook(o: InjectorWebhookOptions): Promise<InjectorWebhook> {
  const logger = o.logger ?? silentLogger();
  const serviceName = o.serviceName ?? 'istiod';
  const namespace = o.namespace ?? 'istio-system';
  const name = o.configurationName ?? DEFAULT_INJECTOR_CONFIGURATION_NAME;
  const certs = certificatesFor(o, serviceName, namespace);
  const labels = namespaceLabelCache(o.kube.makeApiClient(k8s.CoreV1Api), { ttlMs: o.namespaceCacheTtlMs });
  const server = await startInjectionWebhook({
    host: o.host, port: o.port, tls: { certPem: certs.certPem, keyPem: certs.keyPem },
    getNamespaceLabels: (ns) => labels.get(ns), meshConfig: meshConfigFor(o, serviceName, namespace), logger,
  });
  const url = resolveUrl(o.url, server.port);
  const body = configurationBody(o, certs.caPem, url, name);
  const admission = o.kube.makeApiClient(k8s.AdmissionregistrationV1Api);
  const resync = async (): Promise<ConfigurationSyncResult> => {
    const result = await syncWebhookConfiguration(admission, body);
    logger.info({ name, result }, 'webhook configuration synced');
    return result;
  };
  let configurationSync: ConfigurationSyncResult;
  try {
    configurationSync = await resync();
  } catch (err) {
    await server.close();
    throw err;
  }
  const endpoint = url ?? `https://${serviceName}.${namespace}.svc:${o.servicePort ?? 443}/inject`;
  return { port: server.port, endpoint, caPem: certs.caPem, configurationName: name, configurationSync, resync, close: () => server.close() };
}
