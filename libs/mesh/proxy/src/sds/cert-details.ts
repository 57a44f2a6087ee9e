import { X509Certificate } from 'node:crypto';
import { pemCertificates } from './pem';

/** Envoy's `envoy.admin.v3.CertificateDetails` (what `/certs` lists per certificate). */
export interface CertificateDetails {
  readonly path: string;
  readonly serial_number: string;
  readonly subject_alt_names: ReadonlyArray<{ uri: string } | { dns: string } | { ip_address: string }>;
  /** uint64 in Envoy's proto: a JSON string. */
  readonly days_until_expiration: string;
  readonly valid_from: string;
  readonly expiration_time: string;
}

const DAY_MS = 86_400_000;

function altNames(cert: X509Certificate): CertificateDetails['subject_alt_names'] {
  const out: Array<{ uri: string } | { dns: string } | { ip_address: string }> = [];
  // Node's rendering: "URI:spiffe://…, DNS:a, IP Address:1.2.3.4" (values containing ", " are quoted).
  for (const part of (cert.subjectAltName ?? '').split(', ').filter(Boolean)) {
    const i = part.indexOf(':');
    const [kind, value] = [part.slice(0, i), part.slice(i + 1)];
    if (kind === 'URI') out.push({ uri: value });
    else if (kind === 'DNS') out.push({ dns: value });
    else if (kind === 'IP Address') out.push({ ip_address: value });
  }
  return out;
}

/** RFC 3339 without milliseconds, as Envoy's Timestamps print whole seconds. */
const timestamp = (date: string): string => new Date(date).toISOString().replace('.000Z', 'Z');

export function certificateDetails(cert: X509Certificate, nowMs: number): CertificateDetails {
  const expires = Date.parse(cert.validTo);
  return {
    path: '<inline>',
    // Envoy prints the serial as lowercase hex of its bytes.
    serial_number: cert.serialNumber.toLowerCase(),
    subject_alt_names: altNames(cert),
    days_until_expiration: String(Math.max(0, Math.floor((expires - nowMs) / DAY_MS))),
    valid_from: timestamp(cert.validFrom),
    expiration_time: timestamp(cert.validTo),
  };
}

/** The first certificate of a PEM bundle, parsed; undefined when there is none or it does not parse. */
export function firstCertificate(pem: string): X509Certificate | undefined {
  const [first] = pemCertificates(pem);
  if (first === undefined) return undefined;
  try {
    return new X509Certificate(first);
  } catch {
    return undefined;
  }
}
