import { JWT_AUTHN_PER_ROUTE_TYPE, JWT_AUTHN_TYPE } from '@trellis/mesh-envoy';
import type { Counter } from '../counters';
import type { Exchange } from '../exchange';
import { type FilterEnv, type FilterStatus, type HttpFilter, type HttpFilterFactory, perRouteConfig, resumeDecoding } from '../filter';
import { forwardedProto } from '../forwarded-proto';
import { sendLocalReply } from '../local-reply';
import { invalid } from '../../config/proto';
import { applyVerdict } from './jwt/apply';
import { type JwtDecision, JwtAuthenticator } from './jwt/authenticator';
import { type CompiledJwtPerRoute, compileJwtAuthentication, compileJwtPerRoute } from './jwt/config';
import { JWT_STATUS_TEXT, type JwtStatus, httpStatusOf } from './jwt/status';

/** Envoy's MaximumUriLength: the realm's path is cut there. */
const MAX_URI_PATH = 256;

/** Anything unexpected while verifying fails closed, never allows. */
const INTERNAL_FAILURE: JwtDecision = { kind: 'verdict', verdict: { status: 'JwtVerificationFail', effects: [] } };

/** `Http::Utility::buildOriginalUri`: x-forwarded-proto, host and the path (at most 256 characters). */
function originalUri(ex: Exchange): string {
  return `${forwardedProto(ex)}://${ex.hostHeader || ex.authority}${ex.path.slice(0, MAX_URI_PATH)}`;
}

/**
 * envoy.filters.http.jwt_authn (Istio's RequestAuthentication): the route's `PerRouteConfig` or
 * else the first matching rule picks a requirement; tokens are verified with the providers' inlined
 * JWKS (jose), from the token cache when seen before. A pass continues the chain with the token
 * removed (unless `forward`), the payload in dynamic metadata (`envoy.filters.http.jwt_authn` →
 * `payload_in_metadata`) and its headers; a failure is answered 401 (403 for a disallowed audience)
 * with jwt_verify_lib's text and `www-authenticate: Bearer realm="<uri>"[, error="invalid_token"]`.
 * Stats: `http.<stat_prefix>.jwt_authn.{allowed,denied,cors_preflight_bypassed}`.
 */
class JwtAuthnFilter implements HttpFilter {
  private readonly allowed: Counter;
  private readonly denied: Counter;
  private readonly corsBypassed: Counter;

  constructor(
    readonly name: string,
    private readonly authn: JwtAuthenticator,
    env: FilterEnv,
  ) {
    const label = `http_conn_manager_prefix="${env.statPrefix}"`;
    const counter = (stat: string): Counter => env.counters.counter(`http.${env.statPrefix}.jwt_authn.${stat}`, `envoy_http_jwt_authn_${stat}`, label);
    this.allowed = counter('allowed');
    this.denied = counter('denied');
    this.corsBypassed = counter('cors_preflight_bypassed');
  }

  decodeHeaders(ex: Exchange): FilterStatus {
    const now = Math.floor(ex.ctx.runtime.clock.now() / 1000);
    const d = this.authn.decide(ex, perRouteConfig<CompiledJwtPerRoute>(ex, this), now);
    if (d instanceof Promise) {
      void d.then(
        (decision) => this.resume(ex, decision),
        () => this.resume(ex, INTERNAL_FAILURE),
      );
      return 'stop';
    }
    return this.complete(ex, d) ? 'continue' : 'stop';
  }

  /** After an asynchronous check: an exchange that ended meanwhile (client gone) is left alone. */
  private resume(ex: Exchange, d: JwtDecision): void {
    if (ex.done) return;
    if (this.complete(ex, d)) resumeDecoding(ex);
  }

  /** true = the request goes on; false = it was answered. */
  private complete(ex: Exchange, d: JwtDecision): boolean {
    switch (d.kind) {
      case 'cors':
        this.corsBypassed.value++;
        this.allowed.value++;
        return true;
      case 'skip':
        this.allowed.value++;
        return true;
      case 'bad-requirement':
        this.denied.value++;
        sendLocalReply(ex, 'JWT_AUTHN_DENIED', { status: 403, body: `Failed JWT authentication: ${d.message}`, details: details(d.message) });
        return false;
      case 'verdict':
        if (d.verdict.status !== 'Ok') {
          this.deny(ex, d.verdict.status);
          return false;
        }
        applyVerdict(ex, d.verdict);
        this.allowed.value++;
        return true;
    }
  }

  private deny(ex: Exchange, status: JwtStatus): void {
    this.denied.value++;
    const text = JWT_STATUS_TEXT[status];
    const challenge = `Bearer realm="${originalUri(ex)}"${status === 'JwtMissed' ? '' : ', error="invalid_token"'}`;
    sendLocalReply(ex, 'JWT_AUTHN_DENIED', {
      status: httpStatusOf(status),
      body: text,
      details: details(text),
      responseEdits: { add: [{ key: 'www-authenticate', value: challenge, action: 'overwrite' }], remove: [] },
    });
  }
}

/** `jwt_authn_access_denied{<text with spaces as _>}` (Envoy's generateRcDetails). */
function details(text: string): string {
  return `jwt_authn_access_denied{${text.replace(/\s/g, '_')}}`;
}

export const jwtAuthnFilter: HttpFilterFactory = {
  typeUrl: JWT_AUTHN_TYPE,
  create: (resource, name, config, env) => new JwtAuthnFilter(name, new JwtAuthenticator(compileJwtAuthentication(resource, config)), env),
};

/**
 * `typed_per_filter_config` of jwt_authn has its own @type (PerRouteConfig), and per-route configs
 * are compiled by @type: this entry compiles them, and is no filter of its own.
 */
export const jwtAuthnPerRoute: HttpFilterFactory = {
  typeUrl: JWT_AUTHN_PER_ROUTE_TYPE,
  create: (resource, name) => {
    throw invalid(resource, `http filter ${name}: ${JWT_AUTHN_PER_ROUTE_TYPE} is a per-route config, not a filter`);
  },
  compilePerRoute: (resource, config) => compileJwtPerRoute(resource, config),
};
