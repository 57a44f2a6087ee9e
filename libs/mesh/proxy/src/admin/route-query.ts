import type { RouteQuery } from './route-explain-types';

/** `GET /trellis/route?host=&path=&method=&header=name:value&port=` → the synthetic request, or why not. */
export function parseRouteQuery(params: URLSearchParams): RouteQuery | { readonly error: string } {
  const host = params.get('host') ?? '';
  if (host === '') return { error: 'host is required (the request\'s :authority, e.g. host=reviews:9080)' };
  const path = params.get('path') ?? '/';
  if (!path.startsWith('/')) return { error: `path ${JSON.stringify(path)} must start with /` };
  const method = (params.get('method') ?? 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) return { error: `method ${JSON.stringify(method)} is not an HTTP method` };
  const headers: [string, string][] = [];
  for (const h of params.getAll('header')) {
    const colon = h.indexOf(':', 1);
    if (colon <= 0) return { error: `header ${JSON.stringify(h)} must be name:value` };
    headers.push([h.slice(0, colon).trim().toLowerCase(), h.slice(colon + 1).trim()]);
  }
  const portText = params.get('port');
  let port: number | undefined;
  if (portText !== null && portText !== '') {
    port = Number(portText);
    if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: `port ${JSON.stringify(portText)} is not a port number` };
  }
  return { host, path, method, headers, port };
}
