import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { NetworkRbac, Received } from '@trellis/mesh-envoy';
import { type CompiledRbac, type RbacInput, evaluate } from '@trellis/mesh-rbac';
import type { TypedConfig } from '../config/envoy-types';
import { invalid } from '../config/proto';
import { type FilterCounters, promName } from '../http/counters';
import { type RbacEngines, type RbacStats, compileEngines, rbacStats } from '../http/filters/rbac-engines';
import type { ProxyContext } from '../proxy-context';
import { downstreamTlsOf, peerPrincipal, rfc2253Subject } from '../tls/peer-identity';

/**
 * envoy.filters.network.rbac: the connection (after TLS termination, so the peer's principal is
 * known) is checked once when its chain is chosen — Envoy checks on the first byte; deciding before
 * the upstream connect also holds for server-first protocols — shadow engine counted only, enforced
 * engine denying → the connection is closed, nothing reaches the upstream. Stats as Envoy's
 * generateStats under the filter's `stat_prefix` (Istio: `tcp.` → `tcp.rbac.allowed`,
 * `tcp.rbac.denied`, `tcp.rbac.<shadow_rules_stat_prefix>shadow_allowed|shadow_denied`).
 */
export interface CompiledNetworkRbac {
  readonly engines: RbacEngines;
  readonly stats: RbacStats;
  readonly statPrefix: string;
}

const ENFORCEMENT = new Set(['ONE_TIME_ON_FIRST_BYTE', 'CONTINUOUS', 0, 1]);

export function compileNetworkRbac(resource: string, config: TypedConfig, counters: FilterCounters): CompiledNetworkRbac {
  const c = config as Received<NetworkRbac>;
  const statPrefix = c.stat_prefix;
  // Envoy's proto validation of the field (min_len 1), so the NACK reads as Envoy's.
  if (typeof statPrefix !== 'string' || statPrefix === '') throw invalid(resource, 'RBACValidationError.StatPrefix: value length must be at least 1 runes');
  if (c.enforcement_type !== undefined && !ENFORCEMENT.has(c.enforcement_type)) {
    throw invalid(resource, `network rbac enforcement_type ${String(c.enforcement_type)} unknown`);
  }
  const engines = compileEngines(resource, { rules: c.rules, shadow_rules: c.shadow_rules, shadow_rules_stat_prefix: c.shadow_rules_stat_prefix });
  const stats = rbacStats(counters, statPrefix, '', engines.shadowPrefix, (name) => [promName(name), '']);
  return { engines, stats, statPrefix };
}

/** The connection as the engine reads it: no headers, path or metadata (those matchers do not match on TCP). */
export function connectionInput(socket: Socket, dst: { readonly address: string; readonly port: number } | undefined): RbacInput {
  const tls = downstreamTlsOf(socket);
  const cert = tls?.peerCertificate;
  const peer = socket.remoteAddress ?? '';
  const servername = tls === undefined ? undefined : (socket as Partial<TLSSocket>).servername;
  return {
    sourceIp: peer,
    remoteIp: peer,
    destinationIp: dst?.address ?? socket.localAddress ?? '',
    destinationPort: dst?.port ?? socket.localPort ?? 0,
    authenticated: cert !== undefined,
    principal: cert === undefined ? undefined : (peerPrincipal(tls) ?? rfc2253Subject(cert)),
    ...(typeof servername === 'string' && { sni: servername }),
  };
}

function shadow(rbac: CompiledNetworkRbac, engine: CompiledRbac, input: RbacInput): void {
  (evaluate(engine, input).allowed ? rbac.stats.shadowAllowed : rbac.stats.shadowDenied).value++;
}

/**
 * The network RBAC decision for a new connection: true = go on to the chain's terminal filter;
 * false = denied, counted, and the socket closed (reset: the client's bytes stay unread, as Envoy's
 * NoFlush close). No filter or no enforced rules: true.
 */
export function admitConnection(
  ctx: ProxyContext,
  rbac: CompiledNetworkRbac | undefined,
  socket: Socket,
  dst?: { readonly address: string; readonly port: number },
): boolean {
  if (rbac === undefined) return true;
  const { rules, shadow: shadowRules } = rbac.engines;
  if (rules === undefined && shadowRules === undefined) return true;
  const input = connectionInput(socket, dst);
  if (shadowRules !== undefined) shadow(rbac, shadowRules, input);
  if (rules === undefined) return true;
  const d = evaluate(rules, input);
  const policy = d.matchedPolicy ?? 'none';
  ctx.logger.debug({ statPrefix: rbac.statPrefix, policy, peer: input.sourceIp }, d.allowed ? 'enforced allowed' : 'enforced denied');
  if (d.allowed) {
    rbac.stats.allowed.value++;
    return true;
  }
  rbac.stats.denied.value++;
  if (downstreamTlsOf(socket) === undefined) socket.resetAndDestroy();
  else socket.destroy();
  return false;
}
