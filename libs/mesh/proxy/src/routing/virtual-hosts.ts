import { invalid } from '../config/proto';

/**
 * Envoy's virtual host selection: exact domain, then the longest `*.suffix`/`*suffix`, then the
 * longest `prefix*`, then `*`. The authority is tried as sent and, if it carries a port and nothing
 * matched, without the port.
 */
export class VirtualHostIndex<T> {
  private readonly exact = new Map<string, T>();
  private readonly suffixes: { readonly suffix: string; readonly value: T }[] = [];
  private readonly prefixes: { readonly prefix: string; readonly value: T }[] = [];
  private wildcard: T | undefined;

  add(resource: string, domain: string, value: T): void {
    const d = domain.toLowerCase();
    if (d === '*') {
      if (this.wildcard !== undefined) throw invalid(resource, 'more than one virtual host with domain "*"');
      this.wildcard = value;
    } else if (d.startsWith('*')) {
      this.suffixes.push({ suffix: d.slice(1), value });
    } else if (d.endsWith('*')) {
      this.prefixes.push({ prefix: d.slice(0, -1), value });
    } else {
      if (this.exact.has(d)) throw invalid(resource, `duplicate domain ${JSON.stringify(domain)}`);
      this.exact.set(d, value);
    }
  }

  /** Call once after all add()s. */
  seal(): void {
    this.suffixes.sort((a, b) => b.suffix.length - a.suffix.length);
    this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  find(authority: string): T | undefined {
    const hit = this.findExactOrWild(authority);
    if (hit !== undefined) return hit;
    const colon = authority.lastIndexOf(':');
    if (colon > 0 && !authority.endsWith(']')) {
      const bare = this.findExactOrWild(authority.slice(0, colon));
      if (bare !== undefined) return bare;
    }
    return this.wildcard;
  }

  private findExactOrWild(host: string): T | undefined {
    const e = this.exact.get(host);
    if (e !== undefined) return e;
    for (const s of this.suffixes) if (host.length > s.suffix.length && host.endsWith(s.suffix)) return s.value;
    for (const p of this.prefixes) if (host.length > p.prefix.length && host.startsWith(p.prefix)) return p.value;
    return undefined;
  }
}
