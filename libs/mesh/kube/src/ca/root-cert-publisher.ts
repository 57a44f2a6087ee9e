import { ROOT_CERT_CONFIGMAP } from '@trellis/mesh-ca';
import { errorMessage, type Logger } from '@trellis/shared';
import { isForbidden, isNotFound } from '../client/errors';
import type { KubeClient } from '../client/kube-client';
import type { KubeObject } from '../client/types';
import { serverSideApply } from '../client/writes';
import { Informer } from '../informer/informer';

export const ROOT_CERT_FIELD_MANAGER = 'trellis-ca';

interface KubeNamespace extends KubeObject {
  status?: { phase?: string };
}

interface KubeConfigMap extends KubeObject {
  data?: Record<string, string>;
}

export interface RootCertPublisher {
  /** Resolves after every namespace listed at start has its ConfigMap. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Istio's namespace controller: ConfigMap `istio-ca-root-cert` (key `root-cert.pem`, label
 * `istio.io/config: "true"`) in every namespace, written when a namespace appears and rewritten
 * when someone edits or deletes it. Works on Kubernetes 1.20 (core/v1 only).
 */
export function publishRootCert(client: KubeClient, rootPem: string, logger: Logger): RootCertPublisher {
  const apply = async (namespace: string): Promise<void> => {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CERT_CONFIGMAP, namespace, labels: { 'istio.io/config': 'true' } }, data: { 'root-cert.pem': rootPem } };
    try {
      await serverSideApply(client, `/api/v1/namespaces/${namespace}/configmaps/${ROOT_CERT_CONFIGMAP}`, body, ROOT_CERT_FIELD_MANAGER);
    } catch (err) {
      // A namespace being deleted refuses new objects: nothing to publish there.
      if (isNotFound(err) || isForbidden(err)) logger.debug({ namespace, reason: errorMessage(err) }, 'root certificate not published');
      else logger.warn({ namespace, reason: errorMessage(err) }, 'root certificate ConfigMap write failed');
    }
  };
  const namespaces = new Informer<KubeNamespace>({ client, path: '/api/v1/namespaces', logger });
  const configMaps = new Informer<KubeConfigMap>({ client, path: '/api/v1/configmaps', fieldSelector: `metadata.name=${ROOT_CERT_CONFIGMAP}`, logger });
  const live = (ns: string): boolean => namespaces.get(undefined, ns)?.status?.phase !== 'Terminating' && namespaces.get(undefined, ns) !== undefined;
  namespaces.onEvents((events) => {
    for (const e of events) if (e.type === 'added' && e.object.status?.phase !== 'Terminating') void apply(e.object.metadata.name);
  });
  configMaps.onEvents((events) => {
    for (const e of events) {
      const ns = e.object.metadata.namespace ?? '';
      const drifted = e.type === 'deleted' || e.object.data?.['root-cert.pem'] !== rootPem;
      if (drifted && live(ns)) void apply(ns);
    }
  });
  namespaces.start();
  configMaps.start();
  const ready = (async () => {
    await Promise.all([namespaces.ready(), configMaps.ready()]);
    await Promise.all(namespaces.list().filter((n) => n.status?.phase !== 'Terminating').map((n) => apply(n.metadata.name)));
  })();
  ready.catch(() => undefined);
  return { ready: () => ready, stop: async () => void (await Promise.all([namespaces.stop(), configMaps.stop()])) };
}
