import { RAW_BUFFER_TRANSPORT_PROTOCOL, TLS_TRANSPORT_PROTOCOL } from '@trellis/mesh-envoy';
import type { MtlsMode } from '@trellis/mesh-api';
import type { ChainProtocol } from './inbound-tls';
import { HTTP_APPLICATION_PROTOCOLS } from './listeners';

/**
 * Which inbound filter chains a port gets, per mTLS mode and port protocol: istiod's table
 * (`pilot/pkg/networking/core/filterchain_options.go` getFilterChainMatchOptions), one entry per chain.
 * `tls: true` chains terminate mTLS (DownstreamTlsContext); the others pass bytes on as they are.
 */
export interface ChainOption {
  readonly protocol: ChainProtocol;
  readonly transport?: string;
  readonly alpn?: readonly string[];
  readonly tls: boolean;
}

/** What an Istio client's ALPN says on an HTTP connection (its `istio.alpn` filter rewrites h2/http1.x). */
export const MTLS_HTTP_ALPNS: readonly string[] = ['istio-http/1.0', 'istio-http/1.1', 'istio-h2'];
/** Every ALPN an Istio client offers over mTLS. */
export const ALL_ISTIO_MTLS_ALPNS: readonly string[] = ['istio', 'istio-peer-exchange', 'istio-http/1.0', 'istio-http/1.1', 'istio-h2'];
/** What an Istio client offers for TCP over mTLS (metadata exchange). */
export const MTLS_TCP_ALPNS: readonly string[] = ['istio-peer-exchange', 'istio'];

const TLS = TLS_TRANSPORT_PROTOCOL;
const RAW = RAW_BUFFER_TRANSPORT_PROTOCOL;

/** Port protocol as istiod classifies it: declared HTTP, declared TCP, or detected per connection. */
export type PortKind = 'http' | 'tcp' | 'auto';

const TABLE: Readonly<Record<PortKind, Readonly<Record<MtlsMode, readonly ChainOption[]>>>> = {
  http: {
    STRICT: [{ protocol: 'http', transport: TLS, tls: true }],
    PERMISSIVE: [
      { protocol: 'http', transport: TLS, alpn: ALL_ISTIO_MTLS_ALPNS, tls: true },
      { protocol: 'http', transport: RAW, tls: false },
    ],
    DISABLE: [{ protocol: 'http', transport: RAW, tls: false }],
  },
  tcp: {
    STRICT: [{ protocol: 'tcp', transport: TLS, tls: true }],
    PERMISSIVE: [
      { protocol: 'tcp', transport: TLS, alpn: ALL_ISTIO_MTLS_ALPNS, tls: true },
      { protocol: 'tcp', transport: RAW, tls: false },
      // One-way TLS from a client without a sidecar: passed to the app as TCP.
      { protocol: 'tcp', transport: TLS, tls: false },
    ],
    DISABLE: [{ protocol: 'tcp', transport: RAW, tls: false }],
  },
  auto: {
    STRICT: [
      { protocol: 'http', transport: TLS, alpn: MTLS_HTTP_ALPNS, tls: true },
      { protocol: 'tcp', transport: TLS, tls: true },
    ],
    PERMISSIVE: [
      { protocol: 'http', transport: TLS, alpn: MTLS_HTTP_ALPNS, tls: true },
      { protocol: 'http', transport: RAW, alpn: HTTP_APPLICATION_PROTOCOLS, tls: false },
      { protocol: 'tcp', transport: TLS, alpn: MTLS_TCP_ALPNS, tls: true },
      { protocol: 'tcp', transport: RAW, tls: false },
      { protocol: 'tcp', transport: TLS, tls: false },
    ],
    DISABLE: [
      { protocol: 'http', transport: RAW, alpn: HTTP_APPLICATION_PROTOCOLS, tls: false },
      { protocol: 'tcp', transport: RAW, tls: false },
    ],
  },
};

/** Before mTLS (translate option `mtls` off): no transport_protocol at all, as Trellis always emitted. */
const LEGACY: Readonly<Record<PortKind, readonly ChainOption[]>> = {
  http: [{ protocol: 'http', tls: false }],
  tcp: [{ protocol: 'tcp', tls: false }],
  auto: [
    { protocol: 'http', alpn: HTTP_APPLICATION_PROTOCOLS, tls: false },
    { protocol: 'tcp', tls: false },
  ],
};

/** The chains of one port (or of the passthrough, as `auto`); `mode` undefined = mTLS emission off. */
export function chainOptions(kind: PortKind, mode: MtlsMode | undefined): readonly ChainOption[] {
  return mode === undefined ? LEGACY[kind] : TABLE[kind][mode];
}
