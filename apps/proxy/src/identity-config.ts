import type { Command } from 'commander';
import { invalidArgument } from './start-up-modules';
import { EC_P256, RSA_2048, type KeyAlgorithm } from '@trellis/mesh-ca';

/** The workload-identity agent's settings, in Istio's names where pilot-agent has them. */
export interface IdentityConfig {
  /** `CA_ADDR` / `--ca-address`: the CA (istiod: `istiod.istio-system.svc:15012`); undefined = no agent. */
  readonly caAddress: string | undefined;
  /** The root that verifies the CA: the `istio-ca-root-cert` ConfigMap mounted at /var/run/secrets/istio. */
  readonly caRootCert: string;
  /** Token files, first readable wins: the projected `istio-token` (audience istio-ca), then the legacy token. */
  readonly tokenFiles: readonly string[];
  /** `TRUST_DOMAIN`: the SPIFFE trust domain of this workload's identity. */
  readonly trustDomain: string;
  /** `SECRET_TTL` (24h): the lifetime asked of the CA, seconds. */
  readonly certTtlSeconds: number;
  /** `SECRET_GRACE_PERIOD_RATIO` (0.5) and its `_JITTER` (0.01). */
  readonly graceRatio: number;
  readonly graceRatioJitter: number;
  /** RSA 2048, or EC P-256 with `ECC_SIGNATURE_ALGORITHM=ECDSA` (Istio's default is RSA). */
  readonly keyAlgorithm: KeyAlgorithm;
}

export const ISTIO_ROOT_CERT_FILE = '/var/run/secrets/istio/root-cert.pem';
export const ISTIO_TOKEN_FILE = '/var/run/secrets/tokens/istio-token';
export const LEGACY_TOKEN_FILE = '/var/run/secrets/kubernetes.io/serviceaccount/token';

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

/** Go's time.ParseDuration for positive values (`24h`, `24h0m0s`, `90s`, `1.5h`), in seconds. */
export function goDurationSeconds(value: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) throw invalidArgument(`not a duration like 24h0m0s: "${value}"`);
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] ?? ''] ?? 0), 0);
  if (!(ms >= 1000)) throw invalidArgument('certificate lifetime must be at least 1s');
  return ms / 1000;
}

function ratio(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) throw invalidArgument('must be a number in [0, 1)');
  return n;
}

function keyAlgorithm(value: string): KeyAlgorithm {
  if (value === '' || value === 'RSA') return RSA_2048;
  if (value === 'ECDSA') return EC_P256;
  throw invalidArgument('must be ECDSA, or RSA (the default)');
}

type Parse = <T>(name: string, parse: (value: string) => T, fallback: string) => T;
type EnvValue = (name: string, fallback: string) => string;

export interface IdentityFlags {
  caAddress?: string;
  caRootCert: string;
  tokenFile?: string;
  trustDomain: string;
  workloadCertTtl: number;
  graceRatio: number;
  graceRatioJitter: number;
  eccSignatureAlgorithm: KeyAlgorithm;
}

/** Declares the agent's flags on the proxy's command (env fallbacks in Istio's names). */
export function identityOptions(command: Command, e: EnvValue, p: Parse): Command {
  const caAddress = e('CA_ADDR', '');
  return command
    .option('--ca-address <host:port>', 'CA for workload certificates (CA_ADDR); without it the proxy has no workload identity', caAddress === '' ? undefined : caAddress)
    .option('--ca-root-cert <file>', 'root certificate that verifies the CA', e('TRELLIS_CA_ROOT_CERT', ISTIO_ROOT_CERT_FILE))
    .option('--token-file <file>', `credential for the CA (default ${ISTIO_TOKEN_FILE}, then ${LEGACY_TOKEN_FILE})`, e('TRELLIS_TOKEN_FILE', '') || undefined)
    .option('--trust-domain <domain>', 'SPIFFE trust domain (TRUST_DOMAIN)', e('TRUST_DOMAIN', 'cluster.local'))
    .option('--workload-cert-ttl <duration>', 'certificate lifetime asked of the CA (SECRET_TTL)', goDurationSeconds, p('SECRET_TTL', goDurationSeconds, '24h0m0s'))
    .option('--grace-ratio <ratio>', 'renew when this share of the lifetime is left (SECRET_GRACE_PERIOD_RATIO)', ratio, p('SECRET_GRACE_PERIOD_RATIO', ratio, '0.5'))
    .option('--grace-ratio-jitter <ratio>', 'SECRET_GRACE_PERIOD_RATIO_JITTER', ratio, p('SECRET_GRACE_PERIOD_RATIO_JITTER', ratio, '0.01'))
    .option('--ecc-signature-algorithm <alg>', 'ECDSA for EC P-256 keys (ECC_SIGNATURE_ALGORITHM); RSA 2048 otherwise', keyAlgorithm, p('ECC_SIGNATURE_ALGORITHM', keyAlgorithm, ''));
}

export function identityConfig(flags: IdentityFlags): IdentityConfig {
  return {
    caAddress: flags.caAddress,
    caRootCert: flags.caRootCert,
    tokenFiles: flags.tokenFile === undefined ? [ISTIO_TOKEN_FILE, LEGACY_TOKEN_FILE] : [flags.tokenFile],
    trustDomain: flags.trustDomain,
    certTtlSeconds: flags.workloadCertTtl,
    graceRatio: flags.graceRatio,
    graceRatioJitter: flags.graceRatioJitter,
    keyAlgorithm: flags.eccSignatureAlgorithm,
  };
}
