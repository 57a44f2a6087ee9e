import type { OutgoingHttpHeaders } from 'node:http';
import { KNOWN_TYPES } from '../../config/proto';
import type { HeaderEdits } from '../../routing/header-mutation';
import type { Counter } from '../counters';
import type { Exchange } from '../exchange';
import { type FilterEnv, type FilterStatus, type HttpFilter, type HttpFilterFactory, resumeDecoding } from '../filter';
import { sendLocalReply } from '../local-reply';
import type { CheckOk, CheckResult, HeaderSet } from './ext-authz/check-result';
import { type CompiledExtAuthz, compileExtAuthz } from './ext-authz/config';
import { grpcCheckRequest, grpcCheckResult } from './ext-authz/grpc-check';
import { httpCheckRequest, httpCheckResult } from './ext-authz/http-check';
import { type SideCall, sideCall } from '../../upstream/side-call';

/**
 * envoy.filters.http.ext_authz (Istio's CUSTOM AuthorizationPolicy): unless `filter_enabled_metadata`
 * says the request is not in scope (istiod: the shadow RBAC filter marked no CUSTOM rule), the request
 * waits while the authorizer is asked (`ext-authz/http-check.ts` or `grpc-check.ts`, over the
 * cluster's own pools: `upstream/side-call.ts`). Allowed: its header edits go upstream and the
 * chain resumes. Denied: the authorizer's reply goes downstream (UAEX, ext_authz_denied). No answer:
 * `failure_mode_allow` resumes, else `status_on_error` (default 403, ext_authz_error).
 * Stats as Envoy's: `http.<hcm stat_prefix>.ext_authz.[<stat_prefix>.]{ok,denied,error,disabled,failure_mode_allowed}`.
 */

type StatName = 'ok' | 'denied' | 'error' | 'disabled' | 'failure_mode_allowed';
const STATS: readonly StatName[] = ['ok', 'denied', 'error', 'disabled', 'failure_mode_allowed'];

function editsOf(headers: readonly HeaderSet[]): HeaderEdits {
  return { add: headers.map((h) => ({ key: h.name, value: h.value, action: h.append ? 'append' : 'overwrite' })), remove: [] };
}

/** The authorizer's headers on the request before the router copies it upstream. */
function applyToRequest(ex: Exchange, ok: CheckOk): void {
  const headers = ex.headers;
  for (const name of ok.remove) if (name.charCodeAt(0) !== 58 && name !== 'host') delete headers[name];
  for (const h of ok.upstream) {
    const current = headers[h.name];
    if (!h.append || current === undefined) headers[h.name] = h.value;
    else headers[h.name] = `${String(current)},${h.value}`;
  }
}

class ExtAuthzFilter implements HttpFilter {
  private readonly stats: Readonly<Record<StatName, Counter>>;
  private readonly pending = new WeakMap<Exchange, SideCall>();
  private readonly onSuccess = new WeakMap<Exchange, HeaderEdits>();

  constructor(
    readonly name: string,
    private readonly c: CompiledExtAuthz,
    env: FilterEnv,
  ) {
    const base = `http.${env.statPrefix}.ext_authz.${c.statPrefix === '' ? '' : `${c.statPrefix}.`}`;
    const label = `http_conn_manager_prefix="${env.statPrefix}"`;
    const prom = (s: string): string => `envoy_http_ext_authz_${c.statPrefix === '' ? '' : `${c.statPrefix.replace(/\W/g, '_')}_`}${s}`;
    this.stats = Object.fromEntries(STATS.map((s) => [s, env.counters.counter(`${base}${s}`, prom(s), label)])) as Record<StatName, Counter>;
  }

  decodeHeaders(ex: Exchange): FilterStatus {
    const c = this.c;
    if (c.enabled !== undefined && !c.enabled(ex.dynamicMetadata)) {
      this.stats.disabled.value++;
      return 'continue';
    }
    const http = c.http;
    const req = http !== undefined ? httpCheckRequest(ex, c, http) : grpcCheckRequest(ex, c);
    const call = sideCall(ex.ctx, req, (res, failure) => {
      this.pending.delete(ex);
      this.onResult(ex, http !== undefined ? httpCheckResult(http, res, failure) : grpcCheckResult(res, failure));
    });
    if (!ex.done) this.pending.set(ex, call);
    return 'stop';
  }

  encodeHeaders(ex: Exchange, _status: number, headers: OutgoingHttpHeaders): void {
    const edits = this.onSuccess.get(ex);
    if (edits === undefined) return;
    for (const a of edits.add) {
      const current = headers[a.key];
      headers[a.key] = a.action === 'append' && current !== undefined ? [...(Array.isArray(current) ? current : [String(current)]), a.value] : a.value;
    }
  }

  /** The exchange ended (the client left, a timeout): a check still in flight is abandoned. */
  onComplete(ex: Exchange): void {
    this.pending.get(ex)?.cancel();
    this.pending.delete(ex);
  }

  private onResult(ex: Exchange, r: CheckResult): void {
    if (ex.done) return;
    if (r.kind === 'ok') {
      this.stats.ok.value++;
      applyToRequest(ex, r);
      if (r.downstream.length > 0) this.onSuccess.set(ex, editsOf(r.downstream));
      resumeDecoding(ex);
    } else if (r.kind === 'denied') {
      this.stats.denied.value++;
      sendLocalReply(ex, 'EXT_AUTHZ_DENIED', { status: r.status, body: r.body, responseEdits: editsOf(r.headers) });
    } else {
      this.stats.error.value++;
      ex.ctx.logger.debug({ filter: this.name, cluster: this.c.cluster, reason: r.reason }, 'ext_authz check failed');
      if (!this.c.failureModeAllow) return sendLocalReply(ex, 'EXT_AUTHZ_ERROR', { status: this.c.statusOnError });
      this.stats.failure_mode_allowed.value++;
      resumeDecoding(ex);
    }
  }
}

export const extAuthzFilter: HttpFilterFactory = {
  typeUrl: KNOWN_TYPES.extAuthz,
  create: (resource, name, config, env) => new ExtAuthzFilter(name, compileExtAuthz(resource, config), env),
};
