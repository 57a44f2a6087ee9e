import type { KubeSecret } from '../types/secret';
import { validateConfig } from '../validation/validate';
import { parseCredentialResource } from './credential-names';
import { tlsCredentialOf } from './tls-credential';
import { redactSecret, validateSecrets } from './validate-secret';

const PEM = (t: string): string => `-----BEGIN ${t}-----\nAAAA\n-----END ${t}-----\n`;
const b64 = (s: string): string => btoa(s);
const tls: KubeSecret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'bookinfo-credential', namespace: 'istio-system' }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(PEM('CERTIFICATE')), 'tls.key': b64(PEM('PRIVATE KEY')) } };

describe('gateway credentials from Secrets', () => {
  it('reads kubectl create secret tls output, and generic cert/key/cacert as istiod does', () => {
    const [s] = validateSecrets([tls]).valid;
    expect(tlsCredentialOf(s!)).toEqual({ namespace: 'istio-system', name: 'bookinfo-credential', version: '', certChain: PEM('CERTIFICATE'), privateKey: PEM('PRIVATE KEY') });
    const generic = { ...tls, type: 'Opaque', data: { cert: b64(PEM('CERTIFICATE')), key: b64(PEM('PRIVATE KEY')), cacert: b64(PEM('CERTIFICATE')) } };
    expect(tlsCredentialOf(validateSecrets([generic]).valid[0]!)?.caCert).toBe(PEM('CERTIFICATE'));
    expect(tlsCredentialOf({ ...tls, data: { password: b64('x') } })).toBeUndefined();
  });

  it('names Secret, namespace/name and data key for bad input', () => {
    const { errors } = validateSecrets([{ ...tls, data: { 'tls.crt': b64('not pem'), 'tls.key': '%%%' } }, { ...tls, data: { 'tls.crt': b64(PEM('CERTIFICATE')) } }]);
    expect(errors.map((e) => [e.kind, `${e.namespace}/${e.name}`, e.path])).toEqual([
      ['Secret', 'istio-system/bookinfo-credential', 'data.tls.key'],
      ['Secret', 'istio-system/bookinfo-credential', 'data.tls.key'],
    ]);
  });

  it('redacts every value', () => {
    expect(JSON.stringify(redactSecret(tls))).not.toContain(b64(PEM('PRIVATE KEY')));
    expect(redactSecret(tls).data).toEqual({ 'tls.crt': 'REDACTED', 'tls.key': 'REDACTED' });
  });

  it('parses kubernetes://[ns/]name[-cacert]', () => {
    expect(parseCredentialResource('kubernetes://bookinfo-credential-cacert', 'istio-system')).toEqual({ namespace: 'istio-system', name: 'bookinfo-credential', ca: true });
    expect(parseCredentialResource('default', 'istio-system')).toBeUndefined();
  });

  it('Gateway servers: SIMPLE/MUTUAL without credentialName and HTTPS without tls are refused, naming the field', () => {
    const gw = (servers: object[]): object => ({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' }, spec: { servers } });
    const https = { number: 443, name: 'https', protocol: 'HTTPS' };
    const { errors } = validateConfig([gw([{ port: https, hosts: ['a'], tls: { mode: 'SIMPLE' } }, { port: https, hosts: ['b'] }, { port: https, hosts: ['c'], tls: { mode: 'BOGUS' } }])]);
    expect(errors.map((e) => e.path)).toEqual(['spec.servers[2].tls.mode']);
    const semantic = validateConfig([gw([{ port: https, hosts: ['a'], tls: { mode: 'SIMPLE' } }, { port: https, hosts: ['b'] }])]).errors;
    expect(semantic.map((e) => `${e.kind} ${e.namespace}/${e.name}: ${e.path}`)).toEqual(['Gateway default/gw: spec.servers[0].tls.credentialName', 'Gateway default/gw: spec.servers[1].tls']);
  });
});
