import type { GatewaySpec, ServerTLSSettings } from '../types';
import type { FieldProblem } from './ajv-errors';

const TERMINATING = new Set(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL']);

function checkServerTls(tls: ServerTLSSettings, at: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  const mode = tls.mode ?? 'SIMPLE';
  if (mode === 'ISTIO_MUTUAL') {
    for (const f of ['credentialName', 'serverCertificate', 'privateKey', 'caCertificates'] as const) {
      if (tls[f]) out.push({ path: `${at}.${f}`, message: 'ISTIO_MUTUAL TLS cannot have associated certificates or credentialName' });
    }
    return out;
  }
  if (!TERMINATING.has(mode) || tls.credentialName) return out;
  if (!tls.serverCertificate) out.push({ path: `${at}.credentialName`, message: `${mode} TLS requires credentialName (or serverCertificate and privateKey)` });
  else if (!tls.privateKey) out.push({ path: `${at}.privateKey`, message: `${mode} TLS requires a private key` });
  if (mode !== 'SIMPLE' && tls.serverCertificate && !tls.caCertificates) out.push({ path: `${at}.caCertificates`, message: 'MUTUAL TLS requires a client CA bundle' });
  return out;
}

/**
 * Istio's webhook checks of Gateway servers (`validateServer`, `validateTLSOptions` in
 * pkg/config/validation) that the schema cannot express: HTTPS/TLS servers need `tls`; SIMPLE and
 * MUTUAL need a credential; ISTIO_MUTUAL takes none.
 */
export function checkGatewayTls(spec: GatewaySpec): FieldProblem[] {
  const out: FieldProblem[] = [];
  // Istio's validateGateway (which also rejects an empty list): the schema lets `servers` be absent,
  // and translation iterates them.
  if ((spec.servers as GatewaySpec['servers'] | undefined) === undefined) out.push({ path: 'spec.servers', message: 'gateway must have at least one server' });
  (spec.servers ?? []).forEach((server, i) => {
    const at = `spec.servers[${i}]`;
    const protocol = server.port.protocol.toUpperCase();
    if ((protocol === 'HTTPS' || protocol === 'TLS') && server.tls === undefined) {
      out.push({ path: `${at}.tls`, message: `server must have TLS settings for ${protocol} protocol` });
    }
    if (server.tls !== undefined && protocol !== 'HTTP') out.push(...checkServerTls(server.tls, `${at}.tls`));
  });
  return out;
}
