/**
 * What an RBAC decision reads about a request or connection (Envoy's `Network::Connection` +
 * request headers + dynamic metadata). The HTTP-only parts (`header`, `path`, `metadata`) are
 * absent on TCP, where header/url_path/metadata matchers do not match, as in Envoy's network RBAC.
 */
export interface RbacInput {
  /** The connection's peer address (Envoy's direct remote address: `direct_remote_ip`, `source_ip`). */
  readonly sourceIp: string;
  /** The original client (x-forwarded-for with use_remote_address), else the peer (`remote_ip`). */
  readonly remoteIp: string;
  /** The connection's local address, or the captured original destination (`destination_ip`). */
  readonly destinationIp: string;
  readonly destinationPort: number;
  /** The peer certificate's URI SAN (`spiffe://…`), else its subject; only read when `authenticated`. */
  readonly principal?: string;
  /** The peer presented a verified certificate (mTLS). */
  readonly authenticated: boolean;
  /** TLS SNI the client asked for (`requested_server_name`); absent = "". */
  readonly sni?: string;
  /** A request header by lower-case name, pseudo-headers `:method`, `:path` (with query), `:authority`, `:scheme`. */
  header?(name: string): string | undefined;
  /** The request path without query (`url_path`). */
  readonly path?: string;
  /** A filter's dynamic metadata struct (`envoy.filters.http.jwt_authn` → `payload` → claims). */
  metadata?(filter: string): Readonly<Record<string, unknown>> | undefined;
}

/** The outcome of `evaluate`, with Envoy's action semantics. */
export interface RbacDecision {
  readonly allowed: boolean;
  /** The first matching policy in name order (Envoy's effective policy id); undefined when none matched. */
  readonly matchedPolicy: string | undefined;
  /** LOG action: a policy matched, so the request should be logged. */
  readonly shouldLog: boolean;
}
