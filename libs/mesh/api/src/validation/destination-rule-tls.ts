import type { ClientTLSSettings, DestinationRuleSpec, TrafficPolicy } from '../types';
import type { FieldProblem } from './ajv-errors';

/**
 * Istio's validation-webhook checks of DestinationRule `tls` (`validateTLS` in
 * pkg/config/validation): what the schema cannot say. Each problem names the field it is about,
 * e.g. `spec.trafficPolicy.portLevelSettings[0].tls.clientCertificate`.
 */
function checkTls(tls: ClientTLSSettings | undefined, at: string): FieldProblem[] {
  if (tls === undefined) return [];
  const out: FieldProblem[] = [];
  const originates = tls.mode === 'SIMPLE' || tls.mode === 'MUTUAL';
  if (tls.insecureSkipVerify === true && originates) {
    const named = tls.mode === 'SIMPLE' ? (['caCertificates', 'credentialName', 'subjectAltNames'] as const) : (['caCertificates', 'subjectAltNames'] as const);
    for (const f of named) {
      if (tls[f] !== undefined) out.push({ path: `${at}.${f}`, message: `cannot be set when insecureSkipVerify is true` });
    }
  }
  if (originates && tls.credentialName) {
    for (const f of ['clientCertificate', 'privateKey', 'caCertificates', 'caCrl'] as const) {
      if (tls[f]) out.push({ path: `${at}.${f}`, message: 'cannot be set when credentialName is set (the credential supplies it)' });
    }
    return out;
  }
  if (tls.mode === 'MUTUAL') {
    if (!tls.clientCertificate) out.push({ path: `${at}.clientCertificate`, message: 'client certificate required for mutual tls' });
    if (!tls.privateKey) out.push({ path: `${at}.privateKey`, message: 'private key required for mutual tls' });
  }
  return out;
}

function checkPolicy(policy: TrafficPolicy | undefined, at: string): FieldProblem[] {
  if (policy === undefined) return [];
  const out = checkTls(policy.tls, `${at}.tls`);
  (policy.portLevelSettings ?? []).forEach((p, i) => out.push(...checkTls(p.tls, `${at}.portLevelSettings[${i}].tls`)));
  return out;
}

/** TLS problems of a DestinationRule spec: top level, port level, and every subset's. */
export function checkDestinationRuleTls(spec: DestinationRuleSpec): FieldProblem[] {
  const out = checkPolicy(spec.trafficPolicy, 'spec.trafficPolicy');
  (spec.subsets ?? []).forEach((s, i) => out.push(...checkPolicy(s.trafficPolicy, `spec.subsets[${i}].trafficPolicy`)));
  return out;
}
