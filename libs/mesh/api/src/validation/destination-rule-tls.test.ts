import { formatValidationError, validateConfig } from '../index';

const dr = (spec: Record<string, unknown>) => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'googleapis', namespace: 'default' },
  spec: { host: 'www.googleapis.com', ...spec },
});

describe('DestinationRule tls validation (Istio validateTLS)', () => {
  it('accepts the egress sample shape and a complete MUTUAL setting', () => {
    const simple = dr({ trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'SIMPLE', sni: 'www.googleapis.com' } }] } });
    const mutual = dr({ trafficPolicy: { tls: { mode: 'MUTUAL', clientCertificate: '/c.pem', privateKey: '/k.pem', caCertificates: '/ca.pem' } } });
    expect(validateConfig([simple]).errors).toEqual([]);
    expect(validateConfig([{ ...mutual, metadata: { name: 'm' } }]).errors).toEqual([]);
  });

  it('MUTUAL without a key pair: one error per missing field, naming the resource and the field', () => {
    const { errors, valid } = validateConfig([dr({ trafficPolicy: { portLevelSettings: [{ port: { number: 443 }, tls: { mode: 'MUTUAL' } }] } })]);
    expect(valid).toEqual([]);
    expect(errors.map(formatValidationError)).toEqual([
      'DestinationRule default/googleapis: spec.trafficPolicy.portLevelSettings[0].tls.clientCertificate: client certificate required for mutual tls',
      'DestinationRule default/googleapis: spec.trafficPolicy.portLevelSettings[0].tls.privateKey: private key required for mutual tls',
    ]);
  });

  it('insecureSkipVerify with a CA or SANs, credentialName with files, in subsets too', () => {
    const { errors } = validateConfig([
      dr({
        trafficPolicy: { tls: { mode: 'SIMPLE', insecureSkipVerify: true, caCertificates: '/ca.pem', subjectAltNames: ['a'] } },
        subsets: [{ name: 'v1', trafficPolicy: { tls: { mode: 'SIMPLE', credentialName: 'cred', caCertificates: '/ca.pem' } } }],
      }),
    ]);
    expect(errors.map((e) => [e.path, e.message])).toEqual([
      ['spec.trafficPolicy.tls.caCertificates', 'cannot be set when insecureSkipVerify is true'],
      ['spec.trafficPolicy.tls.subjectAltNames', 'cannot be set when insecureSkipVerify is true'],
      ['spec.subsets[0].trafficPolicy.tls.caCertificates', 'cannot be set when credentialName is set (the credential supplies it)'],
    ]);
  });

  it('schema errors come first and alone (a bad mode is not checked further)', () => {
    const { errors } = validateConfig([dr({ trafficPolicy: { tls: { mode: 'STRICT' } } })]);
    expect(errors.map((e) => e.path)).toEqual(['spec.trafficPolicy.tls.mode']);
  });
});
