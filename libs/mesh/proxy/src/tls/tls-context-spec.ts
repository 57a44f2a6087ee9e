import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CommonTlsContext, DataSource, SdsSecretConfig } from '../config/envoy-types';
import { invalid } from '../config/proto';
import { type StringTest, compileStringMatcher } from '../routing/string-matcher';

/*
 * One model for both directions: a CommonTlsContext compiled at apply time. Certificates and CAs given
 * as files (DestinationRule SIMPLE/MUTUAL) are read here, so an unreadable file NACKs the resource;
 * SDS references (`tls_certificate_sds_secret_configs`, `validation_context_sds_secret_config`:
 * Istio's `default` and `ROOTCA`) are kept by name and resolved per connection through the proxy's
 * SecretProvider (secure-context-source.ts): a secret not there yet is Envoy's warming, not a NACK.
 */

type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
const VERSIONS: Readonly<Record<string, TlsVersion | undefined>> = { TLS_AUTO: undefined, TLSv1_0: 'TLSv1', TLSv1_1: 'TLSv1.1', TLSv1_2: 'TLSv1.2', TLSv1_3: 'TLSv1.3' };

/** Material given inline or by file (read at compile time), or an SDS secret name. */
export type Material<T> = { readonly kind: 'static'; readonly value: T } | { readonly kind: 'sds'; readonly name: string };

export interface KeyPair {
  readonly cert: Buffer;
  readonly key: Buffer;
}

export interface TlsContextSpec {
  /** The resource it belongs to (logs, errors). */
  readonly resource: string;
  readonly certificate: Material<KeyPair> | undefined;
  /** Where the trusted CA comes from; undefined = nothing is verified (Envoy's empty validation context). */
  readonly trustedCa: Material<Buffer> | undefined;
  /** match_subject_alt_names (of the validation context, or the combined one's default context). */
  readonly sanMatchers: readonly StringTest[];
  readonly minVersion: TlsVersion;
  readonly maxVersion: TlsVersion;
  /** tls_params.cipher_suites as OpenSSL's list (TLS 1.2; 1.3 suites are not configurable, as in Envoy). */
  readonly ciphers: string | undefined;
  readonly alpn: readonly string[];
  /** Identity of the settings and of the files' bytes: equal keys = the same TLS. */
  readonly key: string;
}

type Hash = ReturnType<typeof createHash>;

function readSource(resource: string, field: string, d: DataSource | undefined, hash: Hash): Buffer | undefined {
  if (d === undefined) return undefined;
  if (typeof d.inline_string === 'string') return Buffer.from(d.inline_string);
  if (typeof d.filename !== 'string' || d.filename === '') throw invalid(resource, `${field} has neither filename nor inline_string`);
  try {
    const bytes = readFileSync(d.filename);
    hash.update(bytes);
    return bytes;
  } catch (err) {
    throw invalid(resource, `${field}: cannot read ${d.filename} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function version(resource: string, field: string, v: string | undefined, fallback: TlsVersion): TlsVersion {
  if (v === undefined) return fallback;
  if (!(v in VERSIONS)) throw invalid(resource, `${field}: unknown TLS version ${v}`);
  return VERSIONS[v] ?? fallback;
}

function sdsName(resource: string, field: string, s: SdsSecretConfig): string {
  if (typeof s.name !== 'string' || s.name === '') throw invalid(resource, `${field} without name`);
  return s.name;
}

const AT = 'transport_socket common_tls_context';

function certificateOf(resource: string, common: CommonTlsContext, hash: Hash): Material<KeyPair> | undefined {
  const sds = common.tls_certificate_sds_secret_configs ?? [];
  const files = common.tls_certificates ?? [];
  if (sds.length + files.length > 1) throw invalid(resource, `${AT}: more than one certificate (tls_certificates / tls_certificate_sds_secret_configs)`);
  if (sds[0] !== undefined) return { kind: 'sds', name: sdsName(resource, `${AT}.tls_certificate_sds_secret_configs[0]`, sds[0]) };
  const cert = readSource(resource, `${AT}.tls_certificates[0].certificate_chain`, files[0]?.certificate_chain, hash);
  const key = readSource(resource, `${AT}.tls_certificates[0].private_key`, files[0]?.private_key, hash);
  if ((cert === undefined) !== (key === undefined)) throw invalid(resource, `${AT}.tls_certificates[0] needs both certificate_chain and private_key`);
  return cert !== undefined && key !== undefined ? { kind: 'static', value: { cert, key } } : undefined;
}

function validationOf(resource: string, common: CommonTlsContext, hash: Hash): Pick<TlsContextSpec, 'trustedCa' | 'sanMatchers'> {
  const combined = common.combined_validation_context;
  const v = combined?.default_validation_context ?? common.validation_context;
  const field = combined !== undefined ? 'combined_validation_context.default_validation_context' : 'validation_context';
  const sdsRef = combined?.validation_context_sds_secret_config;
  const file = readSource(resource, `${AT}.${field}.trusted_ca`, v?.trusted_ca, hash);
  const trustedCa: Material<Buffer> | undefined =
    sdsRef !== undefined ? { kind: 'sds', name: sdsName(resource, `${AT}.combined_validation_context.validation_context_sds_secret_config`, sdsRef) } : file !== undefined ? { kind: 'static', value: file } : undefined;
  const sanMatchers = (v?.match_subject_alt_names ?? []).map((m, i) => compileStringMatcher(`${resource} match_subject_alt_names[${i}]`, m));
  if (sanMatchers.length > 0 && trustedCa === undefined) throw invalid(resource, 'SAN-based verification of peer certificates without trusted CA is insecure and not allowed');
  return { trustedCa, sanMatchers };
}

/** CommonTlsContext → spec; `extra` joins the fingerprint (the wrapping context's own fields). */
export function compileTlsContext(resource: string, common: CommonTlsContext | undefined, extra: unknown): TlsContextSpec {
  const c = common ?? {};
  const hash = createHash('sha256').update(JSON.stringify([c, extra]));
  const params = c.tls_params;
  const ciphers = params?.cipher_suites;
  return {
    resource,
    certificate: certificateOf(resource, c, hash),
    ...validationOf(resource, c, hash),
    minVersion: version(resource, 'tls_minimum_protocol_version', params?.tls_minimum_protocol_version, 'TLSv1.2'),
    maxVersion: version(resource, 'tls_maximum_protocol_version', params?.tls_maximum_protocol_version, 'TLSv1.3'),
    ciphers: ciphers !== undefined && ciphers.length > 0 ? ciphers.join(':') : undefined,
    alpn: [...(c.alpn_protocols ?? [])],
    key: hash.digest('base64'),
  };
}
