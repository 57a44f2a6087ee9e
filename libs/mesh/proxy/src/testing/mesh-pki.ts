/** Workload certificates from the real CA lib (@trellis/mesh-ca) and a SecretStore to feed a proxy, as the agent does. */
import { CertificateAuthority, EC_P256, createCsr, generateKeyPair, generateSelfSignedRoot, loadKeyCertBundle } from '@trellis/mesh-ca';
import { ROOT_CA_SECRET, SecretStore, WORKLOAD_CERT_SECRET } from '../sds';

export const TRUST_DOMAIN = 'cluster.local';
export const spiffe = (sa: string, ns = 'default'): string => `spiffe://${TRUST_DOMAIN}/ns/${ns}/sa/${sa}`;

export interface WorkloadCert {
  readonly chainPem: string;
  readonly keyPem: string;
}

export interface MeshPki {
  readonly rootPem: string;
  /** A leaf for `spiffe://cluster.local/ns/<ns>/sa/<sa>` (ECDSA P-256, as Istio's agents may ask). */
  issue(sa: string, opts?: { ttlSeconds?: number; at?: number }): WorkloadCert;
  /** A SecretStore holding `default` (a fresh leaf for `sa`) and `ROOTCA`. */
  store(sa: string): SecretStore;
  /** Replaces `default` in `store` with a fresh leaf (the agent's rotation). */
  rotate(store: SecretStore, sa: string): void;
}

/** A self-signed mesh root made 3 days ago (so certificates can be signed in the past: expired ones). */
export function meshPki(now = Date.now()): MeshPki {
  const root = generateSelfSignedRoot({ trustDomain: TRUST_DOMAIN, now: now - 3 * 86_400_000, keyAlgorithm: EC_P256 });
  const bundle = loadKeyCertBundle(root, 'self-signed', now);
  const issue = (sa: string, opts: { ttlSeconds?: number; at?: number } = {}): WorkloadCert => {
    const ca = new CertificateAuthority(bundle, () => opts.at ?? Date.now());
    const keys = generateKeyPair(EC_P256);
    const id = spiffe(sa);
    const chain = ca.sign({ csrPem: createCsr(keys.privateKey, { uris: [id] }), identities: [id], ttlSeconds: opts.ttlSeconds ?? 3600 });
    return { chainPem: chain.join(''), keyPem: keys.privateKeyPem };
  };
  const setLeaf = (store: SecretStore, sa: string): void => {
    const leaf = issue(sa);
    store.set({ type: 'tls_certificate', name: WORKLOAD_CERT_SECRET, certificateChainPem: leaf.chainPem, privateKeyPem: leaf.keyPem });
  };
  return {
    rootPem: root.caCert,
    issue,
    store(sa) {
      const store = new SecretStore();
      store.set({ type: 'validation_context', name: ROOT_CA_SECRET, trustedCaPem: root.caCert });
      setLeaf(store, sa);
      return store;
    },
    rotate: setLeaf,
  };
}
