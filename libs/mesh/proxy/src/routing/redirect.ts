import type { RedirectAction } from '../config/envoy-types';
import { invalid } from '../config/proto';
import { type RequestView, pathOnly } from './request-view';

export interface CompiledRedirect {
  readonly status: number;
  readonly scheme: string | undefined;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly path: string | undefined;
  readonly prefixRewrite: string | undefined;
  readonly stripQuery: boolean;
  /** A virtual host's `require_tls` redirect (`https://` + Host + path), not a route's action. */
  readonly ssl?: true;
}

/** Envoy's `SslRedirectRoute`: 301, location from `sslRedirectLocation` (routing/require-tls.ts). */
export const SSL_REDIRECT: CompiledRedirect = {
  status: 301,
  scheme: 'https',
  host: undefined,
  port: undefined,
  path: undefined,
  prefixRewrite: undefined,
  stripQuery: false,
  ssl: true,
};

const CODES: Readonly<Record<string, number>> = {
  MOVED_PERMANENTLY: 301,
  FOUND: 302,
  SEE_OTHER: 303,
  TEMPORARY_REDIRECT: 307,
  PERMANENT_REDIRECT: 308,
};

export function compileRedirect(resource: string, r: RedirectAction): CompiledRedirect {
  const status = CODES[r.response_code ?? 'MOVED_PERMANENTLY'];
  if (status === undefined) throw invalid(resource, `unknown redirect response_code ${String(r.response_code)}`);
  return {
    status,
    scheme: r.https_redirect === true ? 'https' : r.scheme_redirect,
    host: r.host_redirect,
    port: r.port_redirect,
    path: r.path_redirect,
    prefixRewrite: r.prefix_rewrite,
    stripQuery: r.strip_query === true,
  };
}

function splitHostPort(authority: string): [string, string | undefined] {
  const i = authority.lastIndexOf(':');
  if (i < 0 || authority.endsWith(']')) return [authority, undefined];
  return [authority.slice(0, i), authority.slice(i + 1)];
}

/** The Location header for a redirect; `matchedPrefix` is the route's prefix (for prefix_rewrite). */
export function redirectLocation(r: CompiledRedirect, view: RequestView, matchedPrefix: string | undefined): string {
  const scheme = r.scheme ?? 'http';
  const [origHost, origPort] = splitHostPort(view.authority);
  const host = r.host ?? origHost;
  let port = r.port !== undefined ? String(r.port) : r.host === undefined && r.scheme === undefined ? origPort : undefined;
  if ((scheme === 'http' && port === '80') || (scheme === 'https' && port === '443')) port = undefined;
  const query = view.queryStart < 0 || r.stripQuery ? '' : view.path.slice(view.queryStart);
  let path = pathOnly(view);
  if (r.path !== undefined) path = r.path;
  else if (r.prefixRewrite !== undefined && matchedPrefix !== undefined) path = r.prefixRewrite + path.slice(matchedPrefix.length);
  return `${scheme}://${host}${port === undefined ? '' : `:${port}`}${path}${query}`;
}
