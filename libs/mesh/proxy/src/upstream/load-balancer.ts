import type { LbPolicy } from './cluster-config';
import type { Random } from '../runtime';
import type { Endpoint } from './endpoint';

/** Picks a host among the available ones; `avoid` holds hosts a retry should prefer not to reuse. */
export interface LoadBalancer {
  pick(hash: number | undefined, avoid: ReadonlySet<Endpoint> | undefined, attempts: number): Endpoint | undefined;
}

export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Simple policies pick once; a retry that must avoid previous hosts tries up to `attempts` times. */
abstract class PickOnce implements LoadBalancer {
  constructor(protected readonly hosts: readonly Endpoint[]) {}
  protected abstract once(n: number): Endpoint;

  pick(_hash: number | undefined, avoid: ReadonlySet<Endpoint> | undefined, attempts: number): Endpoint | undefined {
    const n = this.hosts.length;
    if (n === 0) return undefined;
    let e = this.once(n);
    if (avoid === undefined) return e;
    for (let i = 1; i < attempts && avoid.has(e); i++) e = this.once(n);
    return avoid.has(e) ? (this.hosts.find((h) => !avoid.has(h)) ?? e) : e;
  }
}

class RoundRobin extends PickOnce {
  private next = 0;
  protected once(n: number): Endpoint {
    return this.hosts[this.next++ % n];
  }
}

class RandomLb extends PickOnce {
  constructor(
    hosts: readonly Endpoint[],
    private readonly random: Random,
  ) {
    super(hosts);
  }

  protected once(n: number): Endpoint {
    return this.hosts[(this.random() * n) | 0];
  }
}

/** Envoy's default: power of two choices on active requests. */
class LeastRequest extends PickOnce {
  constructor(
    hosts: readonly Endpoint[],
    private readonly random: Random,
  ) {
    super(hosts);
  }

  protected once(n: number): Endpoint {
    if (n === 1) return this.hosts[0];
    const a = this.hosts[(this.random() * n) | 0];
    const b = this.hosts[(this.random() * n) | 0];
    return b.active < a.active ? b : a;
  }
}

/** Consistent hashing on a ring (also used for MAGLEV: same stickiness, different table). */
class RingHash implements LoadBalancer {
  private readonly points: Uint32Array;
  private readonly owners: Endpoint[];
  private readonly fallback: RandomLb;

  constructor(hosts: readonly Endpoint[], random: Random) {
    this.fallback = new RandomLb(hosts, random);
    const perHost = hosts.length === 0 ? 0 : Math.ceil(1024 / hosts.length);
    const entries: [number, Endpoint][] = [];
    for (const h of hosts) for (let i = 0; i < perHost; i++) entries.push([fnv1a(`${h.address}_${i}`), h]);
    entries.sort((x, y) => x[0] - y[0]);
    this.points = Uint32Array.from(entries.map((e) => e[0]));
    this.owners = entries.map((e) => e[1]);
  }

  pick(hash: number | undefined, avoid: ReadonlySet<Endpoint> | undefined, attempts: number): Endpoint | undefined {
    if (hash === undefined || this.points.length === 0) return this.fallback.pick(undefined, avoid, attempts);
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid] < hash) lo = mid + 1;
      else hi = mid;
    }
    const start = lo % this.points.length;
    for (let i = 0; i < this.owners.length; i++) {
      const e = this.owners[(start + i) % this.owners.length];
      if (avoid === undefined || !avoid.has(e) || i >= attempts) return e;
    }
    return this.owners[start];
  }
}

export function createLoadBalancer(policy: LbPolicy, hosts: readonly Endpoint[], random: Random): LoadBalancer {
  switch (policy) {
    case 'ROUND_ROBIN':
      return new RoundRobin(hosts);
    case 'RANDOM':
      return new RandomLb(hosts, random);
    case 'RING_HASH':
    case 'MAGLEV':
      return new RingHash(hosts, random);
    case 'LEAST_REQUEST':
      return new LeastRequest(hosts, random);
  }
}
