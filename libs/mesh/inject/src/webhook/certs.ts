import forge from 'node-forge';

export interface WebhookCertificateOptions {
  /** Default `istiod`. */
  readonly serviceName?: string;
  /** Default `istio-system`. */
  readonly namespace?: string;
  /** Extra IP SANs (e.g. `127.0.0.1` for a webhook reached by URL from kind). */
  readonly extraIps?: readonly string[];
  readonly extraDnsNames?: readonly string[];
  /** Default 365. */
  readonly validityDays?: number;
}

export interface WebhookCertificates {
  /** Self-signed CA; base64 of this is the webhook configuration's caBundle. */
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

function keyPair(): forge.pki.rsa.KeyPair {
  // node-forge delegates to node:crypto's generateKeyPairSync when available (fast).
  return forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
}

function baseCert(publicKey: forge.pki.PublicKey, days: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
  cert.validity.notBefore = new Date(Date.now() - 5 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + days * 24 * 3600 * 1000);
  return cert;
}

function dnsNames(service: string, namespace: string): string[] {
  return [service, `${service}.${namespace}`, `${service}.${namespace}.svc`, `${service}.${namespace}.svc.cluster.local`];
}

/**
 * A throwaway CA and a serving certificate for the injector (RSA 2048, SHA-256). SANs cover
 * `<svc>`, `<svc>.<ns>`, `<svc>.<ns>.svc`, `<svc>.<ns>.svc.cluster.local` and `extraIps`; the apiserver
 * (Go TLS) ignores the CN, so SANs are what matter.
 */
export function makeWebhookCertificates(options: WebhookCertificateOptions = {}): WebhookCertificates {
  const service = options.serviceName ?? 'istiod';
  const namespace = options.namespace ?? 'istio-system';
  const days = options.validityDays ?? 365;
  const caKeys = keyPair();
  const ca = baseCert(caKeys.publicKey, days);
  const caSubject = [{ name: 'commonName', value: 'trellis-webhook-ca' }, { name: 'organizationName', value: 'Trellis' }];
  ca.setSubject(caSubject);
  ca.setIssuer(caSubject);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const keys = keyPair();
  const cert = baseCert(keys.publicKey, days);
  cert.setSubject([{ name: 'commonName', value: `${service}.${namespace}.svc` }]);
  cert.setIssuer(caSubject);
  const altNames = [
    ...[...dnsNames(service, namespace), ...(options.extraDnsNames ?? [])].map((value) => ({ type: 2, value })),
    ...(options.extraIps ?? []).map((ip) => ({ type: 7, ip })),
  ];
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());
  return { caPem: forge.pki.certificateToPem(ca), certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(keys.privateKey) };
}
