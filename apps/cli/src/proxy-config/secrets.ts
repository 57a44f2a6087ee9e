import { X509Certificate } from 'node:crypto';
import { get, str } from './envoy-access';

/** istioctl's `proxy-config secret` columns (istioctl/pkg/writer/compare/sds). */
export const SECRET_HEADER = ['RESOURCE NAME', 'TYPE', 'STATUS', 'VALID CERT', 'SERIAL NUMBER', 'NOT AFTER', 'NOT BEFORE'];
const SECRETS_DUMP = 'type.googleapis.com/envoy.admin.v3.SecretsConfigDump';

/** The `SecretsConfigDump` of an Envoy `/config_dump`, or undefined when the proxy has none. */
export function secretsDumpOf(configDump: unknown): Record<string, unknown> | undefined {
  const configs = get(configDump, 'configs');
  if (!Array.isArray(configs)) return undefined;
  return configs.find((c): c is Record<string, unknown> => get(c, '@type') === SECRETS_DUMP);
}

/** Go's RFC 3339 of a UTC time: whole seconds. */
const rfc3339 = (date: string): string => new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Go's `%x` of the serial's big.Int: lowercase, no leading zeros. */
const serialHex = (serial: string): string => serial.toLowerCase().replace(/^0+(?=.)/, '');

function certRow(name: string, state: string, pem: string, nowMs: number): string[] {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return [name, '', state, 'false', '', '', ''];
  }
  const valid = nowMs > Date.parse(cert.validFrom) && nowMs < Date.parse(cert.validTo);
  return [name, cert.ca ? 'CA' : 'Cert Chain', state, String(valid), serialHex(cert.serialNumber), rfc3339(cert.validTo), rfc3339(cert.validFrom)];
}

function row(entry: unknown, state: string, nowMs: number): string[] {
  const name = str(get(entry, 'name'));
  const status = state === 'ACTIVE' && get(entry, 'version_info') === 'uninitialized' ? 'UNINITIALIZED' : state;
  const secret = get(entry, 'secret');
  const bytes = str(get(secret, 'tls_certificate', 'certificate_chain', 'inline_bytes')) || str(get(secret, 'validation_context', 'trusted_ca', 'inline_bytes'));
  if (bytes === '') return [name, '', status, 'false'];
  return certRow(name, status, Buffer.from(bytes, 'base64').toString('utf8'), nowMs);
}

/** istioctl's rows: warming secrets first, then active ones; the first certificate of each describes it. */
export function secretRows(dump: Record<string, unknown> | undefined, nowMs: number): string[][] {
  const list = (key: string): unknown[] => {
    const value = dump?.[key];
    return Array.isArray(value) ? value : [];
  };
  return [...list('dynamic_warming_secrets').map((e) => row(e, 'WARMING', nowMs)), ...list('dynamic_active_secrets').map((e) => row(e, 'ACTIVE', nowMs))];
}
