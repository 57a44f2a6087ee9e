/**
 * How the Go server's text looks: `%v` of an http.Header and a header value as net/http writes it.
 * Pure helpers for the HTTP check's `x-ext-authz-check-received` dump and its log line.
 */

/** textproto.CanonicalMIMEHeaderKey: `x-ext-authz` → `X-Ext-Authz`. */
export function canonicalHeaderKey(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/**
 * `%v` of a Go http.Header: `map[Accept:[*\/*] X-Ext-Authz:[allow a]]`, keys canonical and sorted,
 * Host left out (Go moves it to Request.Host). `rawHeaders` is Node's flat name/value list.
 */
export function goHeaderMap(rawHeaders: readonly string[]): string {
  const grouped = new Map<string, string[]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const key = canonicalHeaderKey(rawHeaders[i] ?? '');
    if (key === 'Host') continue;
    grouped.set(key, [...(grouped.get(key) ?? []), rawHeaders[i + 1] ?? '']);
  }
  const entries = [...grouped.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, v]) => `${k}:[${v.join(' ')}]`).join(' ')}]`;
}

/** A control character Node refuses in a header value (tab is allowed). */
function isControl(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code < 0x20 && c !== '\t') || code === 0x7f;
}

/**
 * A value as net/http puts it on the wire: CR and LF become spaces, surrounding whitespace is trimmed;
 * returned as a latin1 string of its UTF-8 bytes, so Node writes the bytes Go writes.
 */
export function goHeaderValue(value: string): string {
  const cleaned = value.replace(/[\r\n]/g, ' ').replace(/^[ \t]+|[ \t]+$/g, '');
  // Other control characters Node refuses in a header; Go would send them raw, no client relies on them.
  const printable = [...cleaned].map((c) => (isControl(c) ? ' ' : c)).join('');
  return Buffer.from(printable, 'utf8').toString('latin1');
}
