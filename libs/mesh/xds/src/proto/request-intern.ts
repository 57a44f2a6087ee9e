/**
 * Identical large discovery requests decode to one shared, frozen object. Every proxy of a namespace
 * subscribes to the same EDS names (all its clusters: ~150 kB and 3 000 strings at 1 000 services),
 * and a SotW proxy repeats them in every ACK. Decoding each copy cost the control plane ~0.45 s of
 * CPU at 2 000 proxies, and the copies' strings most of its garbage collection; comparing bytes
 * costs a memcmp. The shared object (and every array in it) is frozen, so name sets derived from it
 * can be cached by identity (server/name-sets.ts).
 */

interface Interned<T> {
  readonly bytes: Buffer;
  readonly value: T;
}

export interface InternLimits {
  /** Requests smaller than this decode as usual (a plain ACK is ~100 bytes). */
  readonly minBytes: number;
  /** Distinct requests kept (oldest forgotten first), and their total bytes. */
  readonly maxEntries: number;
  readonly maxBytes: number;
}

export const DEFAULT_INTERN_LIMITS: InternLimits = { minBytes: 2048, maxEntries: 32, maxBytes: 16 * 1024 * 1024 };

/** Freezes a decoded message and everything in it (plain objects and arrays only). */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value) || ArrayBuffer.isView(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}

/** A decoder that returns the same frozen object for byte-identical requests it saw recently. */
export class RequestIntern<T extends object> {
  /** By byte length, so a lookup compares only requests of the same size. */
  private readonly entries = new Map<number, Interned<T>[]>();
  /** Oldest first. */
  private readonly order: Interned<T>[] = [];
  private bytes = 0;

  constructor(
    private readonly decodeFresh: (bytes: Buffer) => T,
    private readonly limits: InternLimits = DEFAULT_INTERN_LIMITS,
  ) {}

  decode(bytes: Buffer): T {
    if (bytes.length < this.limits.minBytes || bytes.length > this.limits.maxBytes) return this.decodeFresh(bytes);
    const sameLength = this.entries.get(bytes.length);
    const hit = sameLength?.find((e) => e.bytes.equals(bytes));
    if (hit !== undefined) return hit.value;
    const value = deepFreeze(this.decodeFresh(bytes));
    // Owned copy: the caller's buffer may be a view of a larger read.
    this.remember({ bytes: Buffer.from(bytes), value });
    return value;
  }

  /** Distinct requests held (tests, metrics). */
  get size(): number {
    return this.order.length;
  }

  private remember(entry: Interned<T>): void {
    const list = this.entries.get(entry.bytes.length) ?? [];
    list.push(entry);
    this.entries.set(entry.bytes.length, list);
    this.order.push(entry);
    this.bytes += entry.bytes.length;
    while (this.order.length > this.limits.maxEntries || this.bytes > this.limits.maxBytes) this.forgetOldest();
  }

  private forgetOldest(): void {
    const oldest = this.order.shift();
    if (oldest === undefined) return;
    const list = this.entries.get(oldest.bytes.length) ?? [];
    const rest = list.filter((e) => e !== oldest);
    if (rest.length === 0) this.entries.delete(oldest.bytes.length);
    else this.entries.set(oldest.bytes.length, rest);
    this.bytes -= oldest.bytes.length;
  }
}
