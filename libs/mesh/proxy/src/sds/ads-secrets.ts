import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { Received, Secret } from '@trellis/mesh-envoy';
import { invalid } from '../config/proto';
import { pemCertificates } from './pem';
import type { SecretInput } from './secret-store';

/*
 * SDS secrets delivered over ADS (istiod's SecretGen: a gateway's `kubernetes://<credentialName>` and
 * `kubernetes://<credentialName>-cacert`) → the secret store's inputs. A secret that does not parse is
 * NACKed naming it (the previous one stays in force); key material never reaches an error message.
 */

type DataSource = Received<NonNullable<Secret['validation_context']>>['trusted_ca'];

function text(resource: string, field: string, d: DataSource): string {
  if (d === undefined) throw invalid(resource, `${field} is missing`);
  const bytes: unknown = d.inline_bytes;
  if (bytes instanceof Uint8Array) return Buffer.from(bytes).toString('utf8');
  if (typeof bytes === 'string' && bytes !== '') return Buffer.from(bytes, 'base64').toString('utf8');
  if (typeof d.inline_string === 'string' && d.inline_string !== '') return d.inline_string;
  throw invalid(resource, `${field}: only inline_bytes or inline_string is accepted over ADS`);
}

function certificates(resource: string, field: string, pem: string): string {
  const certs = pemCertificates(pem);
  if (certs.length === 0) throw invalid(resource, `${field}: no PEM certificate`);
  try {
    for (const c of certs) new X509Certificate(c);
  } catch {
    throw invalid(resource, `${field}: a certificate does not parse`);
  }
  return pem;
}

function secretInput(s: Received<Secret>): SecretInput {
  const name = s.name;
  if (typeof name !== 'string' || name === '') throw invalid('secret', 'name is missing');
  const resource = `secret ${name}`;
  if (s.tls_certificate !== undefined) {
    const certificateChainPem = certificates(resource, 'tls_certificate.certificate_chain', text(resource, 'tls_certificate.certificate_chain', s.tls_certificate.certificate_chain));
    const privateKeyPem = text(resource, 'tls_certificate.private_key', s.tls_certificate.private_key);
    try {
      createPrivateKey(privateKeyPem);
    } catch {
      throw invalid(resource, 'tls_certificate.private_key does not parse');
    }
    return { type: 'tls_certificate', name, certificateChainPem, privateKeyPem };
  }
  if (s.validation_context !== undefined) {
    const trustedCaPem = certificates(resource, 'validation_context.trusted_ca', text(resource, 'validation_context.trusted_ca', s.validation_context.trusted_ca));
    return { type: 'validation_context', name, trustedCaPem };
  }
  throw invalid(resource, 'neither tls_certificate nor validation_context');
}

/** A whole SDS response compiled: every secret checked before any is installed. */
export function compileAdsSecrets(resources: readonly Received<Secret>[]): SecretInput[] {
  const out = resources.map(secretInput);
  const names = new Set<string>();
  for (const s of out) {
    if (names.has(s.name)) throw invalid(`secret ${s.name}`, 'duplicate name');
    names.add(s.name);
  }
  return out;
}
