import { X509Certificate, type KeyObject } from 'node:crypto';
import { errorMessage } from '@trellis/shared';
import { AgentErrorCode, agentError } from './errors';

/** A chain the CA returned, checked against what was asked for. */
export interface IssuedCertificate {
  readonly chainPem: string;
  /** Istio infers the root from the chain's last element when the CA has no trust bundle API. */
  readonly rootPem: string;
  readonly serialNumber: string;
  readonly notAfterMs: number;
}

/**
 * Refuse a chain that cannot serve this workload: empty, unparsable, for another key or without the
 * workload's SPIFFE identity as a URI SAN (the CA decides the identity; this checks it is ours).
 */
export function checkIssued(chain: readonly string[], identity: string, privateKey: KeyObject): IssuedCertificate {
  const bad = (reason: string): Error => agentError(AgentErrorCode.badCertificate, 'CA returned an unusable certificate chain', { reason, identity });
  const [leafPem] = chain;
  const rootPem = chain[chain.length - 1];
  if (leafPem === undefined || rootPem === undefined) throw bad('empty cert_chain');
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(leafPem);
  } catch (err) {
    throw bad(`leaf does not parse: ${errorMessage(err)}`);
  }
  if (!leaf.checkPrivateKey(privateKey)) throw bad('leaf is not for the key in the CSR');
  const sans = (leaf.subjectAltName ?? '').split(', ');
  if (!sans.includes(`URI:${identity}`)) throw bad(`leaf SANs are ${leaf.subjectAltName ?? 'none'}`);
  const chainPem = chain.map((pem) => (pem.endsWith('\n') ? pem : `${pem}\n`)).join('');
  return { chainPem, rootPem: rootPem.endsWith('\n') ? rootPem : `${rootPem}\n`, serialNumber: leaf.serialNumber.toLowerCase(), notAfterMs: Date.parse(leaf.validTo) };
}
