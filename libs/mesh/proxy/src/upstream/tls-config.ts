import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type SecureContext, createSecureContext } from 'node:tls';
import { RAW_BUFFER_TRANSPORT_SOCKET_NAME, TLS_TRANSPORT_SOCKET_NAME } from '@trellis/mesh-envoy';
import type { CertificateValidationContext, DataSource, HttpProtocolOptions, TransportSocket, UpstreamTlsContext } from '../config/envoy-types';
import { KNOWN_TYPES, invalid } from '../config/proto';
import { type StringTest, compileStringMatcher } from '../routing/string-matcher';

/**
 * A cluster's `transport_socket` compiled: `envoy.transport_sockets.tls` with an UpstreamTlsContext
 * becomes one SecureContext (CA, client key pair, protocol versions) built at apply time, plus what
 * each connection needs (SNI, ALPN, how to verify the peer). Files are read here, so a CA or key
 * that cannot be read NACKs the cluster (naming it and the file) and the last good config stays.
 */
export interface UpstreamTlsConfig {
  readonly context: SecureContext;
  /** UpstreamTlsContext.sni; empty = none, unless `autoSni` takes the request's host. */
  readonly sni: string;
  /** HttpProtocolOptions auto_sni: SNI = the request's host (HTTP only; one pool per SNI). */
  readonly autoSni: boolean;
  /** auto_san_validation: the certificate must be valid for the SNI the request used. */
  readonly autoSanValidation: boolean;
  readonly alpn: readonly string[];
  /** A trusted CA was given: the chain is verified (Envoy verifies nothing without one). */
  readonly verifyChain: boolean;
  /** match_subject_alt_names: any SAN of the peer must match one of them. */
  readonly sanMatchers: readonly StringTest[];
  /** Identity of the compiled settings and file contents: pools are kept while it is unchanged. */
  readonly key: string;
}

type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
const VERSIONS: Readonly<Record<string, TlsVersion | undefined>> = {
  TLS_AUTO: undefined,
  TLSv1_0: 'TLSv1',
  TLSv1_1: 'TLSv1.1',
  TLSv1_2: 'TLSv1.2',
  TLSv1_3: 'TLSv1.3',
};

function readSource(resource: string, field: string, d: DataSource | undefined, hash: ReturnType<typeof createHash>): Buffer | undefined {
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

function version(resource: string, field: string, v: string | undefined): TlsVersion | undefined {
  if (v === undefined) return undefined;
  if (!(v in VERSIONS)) throw invalid(resource, `${field}: unknown TLS version ${v}`);
  return VERSIONS[v];
}

function validation(resource: string, ctx: UpstreamTlsContext): CertificateValidationContext | undefined {
  const common = ctx.common_tls_context;
  if (common?.combined_validation_context !== undefined || (common?.tls_certificate_sds_secret_configs ?? []).length > 0) {
    throw invalid(resource, 'transport_socket: SDS secrets are not supported yet (issue #16)');
  }
  return common?.validation_context;
}

function secureContext(resource: string, ctx: UpstreamTlsContext, v: CertificateValidationContext | undefined, hash: ReturnType<typeof createHash>): SecureContext {
  const common = ctx.common_tls_context;
  const certs = common?.tls_certificates ?? [];
  if (certs.length > 1) throw invalid(resource, 'transport_socket: more than one tls_certificates entry');
  const at = 'transport_socket common_tls_context';
  const ca = readSource(resource, `${at}.validation_context.trusted_ca`, v?.trusted_ca, hash);
  const cert = readSource(resource, `${at}.tls_certificates[0].certificate_chain`, certs[0]?.certificate_chain, hash);
  const key = readSource(resource, `${at}.tls_certificates[0].private_key`, certs[0]?.private_key, hash);
  if ((cert === undefined) !== (key === undefined)) throw invalid(resource, `${at}.tls_certificates[0] needs both certificate_chain and private_key`);
  const minVersion = version(resource, 'tls_minimum_protocol_version', common?.tls_params?.tls_minimum_protocol_version) ?? 'TLSv1.2';
  const maxVersion = version(resource, 'tls_maximum_protocol_version', common?.tls_params?.tls_maximum_protocol_version) ?? 'TLSv1.3';
  try {
    return createSecureContext({ ...(ca ? { ca } : {}), ...(cert ? { cert, key } : {}), minVersion, maxVersion });
  } catch (err) {
    throw invalid(resource, `transport_socket: bad certificate or key (${(err as Error).message})`);
  }
}

/** Cluster.transport_socket → its TLS config; undefined for none or raw_buffer (plaintext). */
export function compileUpstreamTls(resource: string, ts: TransportSocket | undefined, options: HttpProtocolOptions | undefined): UpstreamTlsConfig | undefined {
  if (ts === undefined || ts.name === RAW_BUFFER_TRANSPORT_SOCKET_NAME) return undefined;
  const ctx = ts.typed_config as UpstreamTlsContext | undefined;
  if (ts.name !== TLS_TRANSPORT_SOCKET_NAME && ctx?.['@type'] !== KNOWN_TYPES.upstreamTlsContext) {
    throw invalid(resource, `unsupported transport_socket ${String(ts.name)}`);
  }
  if (ctx === undefined || ctx['@type'] !== KNOWN_TYPES.upstreamTlsContext) {
    throw invalid(resource, `transport_socket ${String(ts.name)}: typed_config must be ${KNOWN_TYPES.upstreamTlsContext}`);
  }
  const v = validation(resource, ctx);
  const hash = createHash('sha256').update(JSON.stringify([ts, options?.upstream_http_protocol_options ?? null]));
  const context = secureContext(resource, ctx, v, hash);
  const verifyChain = v?.trusted_ca !== undefined;
  const sanMatchers = (v?.match_subject_alt_names ?? []).map((m, i) => compileStringMatcher(`${resource} match_subject_alt_names[${i}]`, m));
  if (sanMatchers.length > 0 && !verifyChain) throw invalid(resource, 'SAN-based verification of peer certificates without trusted CA is insecure and not allowed');
  const auto = options?.upstream_http_protocol_options;
  return {
    context,
    sni: ctx.sni ?? '',
    autoSni: auto?.auto_sni === true,
    autoSanValidation: auto?.auto_san_validation === true && verifyChain,
    alpn: [...(ctx.common_tls_context?.alpn_protocols ?? [])],
    verifyChain,
    sanMatchers,
    key: hash.digest('base64'),
  };
}
