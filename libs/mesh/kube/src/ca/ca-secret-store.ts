import { CA_FILE_NAMES, CA_SECRET_TYPE, PLUGGED_IN_CA_SECRET, SELF_SIGNED_CA_SECRET, type CaFiles, type CaMaterialStore } from '@trellis/mesh-ca';
import { isConflict, isNotFound } from '../client/errors';
import type { KubeClient } from '../client/kube-client';
import type { KubeObject } from '../client/types';

interface KubeSecret extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

const decode = (data: Record<string, string> | undefined, key: string): string | undefined => {
  const v = data?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
};

async function readSecret(client: KubeClient, namespace: string, name: string): Promise<CaFiles | undefined> {
  let secret: KubeSecret;
  try {
    secret = await client.request<KubeSecret>('GET', `/api/v1/namespaces/${namespace}/secrets/${name}`);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const d = secret.data;
  return { caCert: decode(d, CA_FILE_NAMES.caCert) ?? '', caKey: decode(d, CA_FILE_NAMES.caKey) ?? '', certChain: decode(d, CA_FILE_NAMES.certChain), rootCert: decode(d, CA_FILE_NAMES.rootCert) };
}

/**
 * The CA's material in Kubernetes, as istiod keeps it: plugged-in Secret `cacerts`, else the
 * self-signed Secret `istio-ca-secret` (type `istio.io/ca-root`, keys `ca-cert.pem`, `ca-key.pem`,
 * and Istio's empty `cert-chain.pem`, `key.pem`, `root-cert.pem`), created on first start. When two
 * replicas race, the create that loses (409) reads the winner's.
 */
export function kubeCaSecretStore(client: KubeClient, namespace: string): CaMaterialStore {
  return {
    location: `Secret ${namespace}/${SELF_SIGNED_CA_SECRET}`,
    loadPluggedIn: () => readSecret(client, namespace, PLUGGED_IN_CA_SECRET),
    loadSelfSigned: () => readSecret(client, namespace, SELF_SIGNED_CA_SECRET),
    saveSelfSigned: async (files) => {
      const b64 = (s: string): string => Buffer.from(s).toString('base64');
      const data = { [CA_FILE_NAMES.caCert]: b64(files.caCert), [CA_FILE_NAMES.caKey]: b64(files.caKey), [CA_FILE_NAMES.certChain]: '', 'key.pem': '', [CA_FILE_NAMES.rootCert]: '' };
      const body = { apiVersion: 'v1', kind: 'Secret', metadata: { name: SELF_SIGNED_CA_SECRET, namespace }, type: CA_SECRET_TYPE, data };
      try {
        await client.request('POST', `/api/v1/namespaces/${namespace}/secrets`, { body });
        return files;
      } catch (err) {
        const stored = isConflict(err) ? await readSecret(client, namespace, SELF_SIGNED_CA_SECRET) : undefined;
        if (stored === undefined) throw err;
        return stored;
      }
    },
  };
}
