const IDENT = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Append one segment to a dotted field path: `spec.http` + 0 → `spec.http[0]`. */
export function joinPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  if (!IDENT.test(segment)) return `${base}[${JSON.stringify(segment)}]`;
  return base === '' ? segment : `${base}.${segment}`;
}

/** Convert a JSON pointer (`/spec/http/0/route`) into a field path (`spec.http[0].route`). */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>((path, seg) => joinPath(path, /^(0|[1-9][0-9]*)$/.test(seg) ? Number(seg) : seg), '');
}
