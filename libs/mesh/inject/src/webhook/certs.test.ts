import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { makeWebhookCertificates } from './certs';
import { mutatingWebhookConfiguration } from './configuration';

describe('makeWebhookCertificates', () => {
  const certs = makeWebhookCertificates({ serviceName: 'istiod', namespace: 'istio-system', extraIps: ['127.0.0.1'] });
  const ca = new X509Certificate(certs.caPem);
  const leaf = new X509Certificate(certs.certPem);

  it('issues a serving cert signed by the CA with the service SANs and IPs', () => {
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    for (const host of ['istiod.istio-system.svc', 'istiod.istio-system.svc.cluster.local']) expect(leaf.checkHost(host)).toBe(host);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkHost('evil.example')).toBeUndefined();
    expect(leaf.keyUsage).toContain('1.3.6.1.5.5.7.3.1');
  });

  it('returns the matching RSA 2048 private key', () => {
    const key = createPrivateKey(certs.keyPem);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(createPublicKey(key).export({ format: 'pem', type: 'spki' })).toBe(leaf.publicKey.export({ format: 'pem', type: 'spki' }));
  });
});

describe('mutatingWebhookConfiguration', () => {
  it('builds Istio-compatible entries pointing at istiod', () => {
    const config = mutatingWebhookConfiguration({ caBundle: '-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n' }) as {
      metadata: { name: string };
      webhooks: Array<Record<string, unknown>>;
    };
    expect(config.metadata.name).toBe('trellis-sidecar-injector');
    expect(config.webhooks.map((w) => w['name'])).toEqual([
      'namespace.sidecar-injector.istio.io',
      'trellis-namespace.sidecar-injector.trellis.dev',
      'object.sidecar-injector.istio.io',
    ]);
    const first = config.webhooks[0]!;
    expect(first).toMatchObject({
      clientConfig: { service: { name: 'istiod', namespace: 'istio-system', path: '/inject', port: 443 } },
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
      namespaceSelector: { matchLabels: { 'istio-injection': 'enabled' } },
      objectSelector: { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'NotIn', values: ['false'] }] },
      sideEffects: 'None',
      failurePolicy: 'Fail',
      reinvocationPolicy: 'Never',
      admissionReviewVersions: ['v1'],
      timeoutSeconds: 10,
    });
    const caBundle = (first['clientConfig'] as { caBundle: string }).caBundle;
    expect(Buffer.from(caBundle, 'base64').toString()).toContain('BEGIN CERTIFICATE');
    expect(config.webhooks[2]).toMatchObject({
      objectSelector: { matchExpressions: [{ key: 'sidecar.istio.io/inject', operator: 'In', values: ['true'] }, { key: 'istio.io/rev', operator: 'DoesNotExist' }] },
    });
  });

  it('supports a URL client config, an Ignore policy and a pre-encoded caBundle', () => {
    const config = mutatingWebhookConfiguration({ caBundle: 'Q0E=', url: 'https://172.18.0.1:15017/inject', failurePolicy: 'Ignore' }) as { webhooks: Array<Record<string, unknown>> };
    expect(config.webhooks[1]).toMatchObject({ clientConfig: { url: 'https://172.18.0.1:15017/inject', caBundle: 'Q0E=' }, failurePolicy: 'Ignore' });
  });
});
