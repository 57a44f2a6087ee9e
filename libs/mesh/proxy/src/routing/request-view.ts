import type { IncomingHttpHeaders } from 'node:http';

/** What route matching may look at; filled once per request by the pipeline. */
export interface RequestView {
  readonly method: string;
  /** :authority, lower-cased, possibly with a port. */
  readonly authority: string;
  /** Origin-form path including the query string. */
  readonly path: string;
  /** Index of '?' in path, or -1. */
  readonly queryStart: number;
  readonly headers: IncomingHttpHeaders;
  readonly remoteAddress: string;
}

/** Header value as Envoy matches it: pseudo-headers resolved, repeated headers joined with ','. */
export function headerValue(view: RequestView, name: string): string | undefined {
  if (name.charCodeAt(0) === 58 /* ':' */) {
    if (name === ':method') return view.method;
    if (name === ':authority') return view.authority;
    if (name === ':path') return view.path;
    if (name === ':scheme') return 'http';
    return undefined;
  }
  const v = view.headers[name];
  if (v === undefined || typeof v === 'string') return v;
  return v.join(',');
}

export function pathOnly(view: RequestView): string {
  return view.queryStart < 0 ? view.path : view.path.slice(0, view.queryStart);
}

export function queryParam(view: RequestView, name: string): string | undefined {
  if (view.queryStart < 0) return undefined;
  const v = new URLSearchParams(view.path.slice(view.queryStart + 1)).get(name);
  return v === null ? undefined : v;
}
