import type { XdsResources } from '../resources';

/** What a private key reads as in debug output (Envoy's admin writes `[redacted]` too). */
export const REDACTED_KEY = Buffer.from('[redacted]').toString('base64');

/**
 * The resources with every SDS secret's private key replaced: `/debug/config_dump` shows which
 * certificate a gateway was sent, never the key.
 */
export function redactSecrets(all: XdsResources): XdsResources {
  if (all.secrets === undefined || all.secrets.length === 0) return all;
  const secrets = all.secrets.map((s) =>
    s.tls_certificate?.private_key === undefined ? s : { ...s, tls_certificate: { ...s.tls_certificate, private_key: { inline_bytes: REDACTED_KEY } } },
  );
  return { ...all, secrets };
}
