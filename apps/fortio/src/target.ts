import { TrellisError } from '@trellis/shared';

/** The URL argument: `http://host:port/path`, or fortio's shorthand without a scheme (`httpbin:8000/get`). */
export function targetUrl(args: readonly string[], command: string): URL {
  const [raw, ...rest] = args;
  if (raw === undefined || rest.length > 0) throw new TrellisError('USAGE', `Error: fortio ${command} needs a url or destination: fortio ${command} [flags] url`, { args: [...args] });
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new TrellisError('USAGE', `unable to parse url "${raw}"`, { url: raw });
  }
  if (url.protocol !== 'http:') throw new TrellisError('USAGE', `only http:// urls are supported by this fortio (got ${url.protocol}//)`, { url: raw });
  return url;
}

/** `-H "Name: value"` flags as request headers. */
export function headersOf(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of values) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new TrellisError('FLAG_VALUE', `invalid header "${h}": expected "Name: value"`, { flag: 'H' });
    out[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
  }
  return out;
}
