import { Endpoint } from '../upstream/endpoint';
import { compileCluster } from '../upstream/cluster-config';
import { createLoadBalancer, fnv1a } from '../upstream/load-balancer';
import { backoffMs, compileRetryPolicy } from './retry-policy';
import { VirtualHostIndex } from './virtual-hosts';

describe('virtual host selection', () => {
  it('prefers exact, then longest suffix, then longest prefix, then *', () => {
    const idx = new VirtualHostIndex<string>();
    for (const [d, v] of [['api.example.com', 'exact'], ['*.example.com', 'suffix'], ['*.b.example.com', 'longer-suffix'], ['api*', 'prefix'], ['*', 'any']] as const) {
      idx.add('rc', d, v);
    }
    idx.seal();
    expect(idx.find('api.example.com')).toBe('exact');
    // As Envoy: the authority with its port is tried first (so `api*` wins), then without the port.
    expect(idx.find('api.example.com:8080')).toBe('prefix');
    expect(idx.find('x.example.com:8080')).toBe('suffix');
    expect(idx.find('x.b.example.com')).toBe('longer-suffix');
    expect(idx.find('x.example.com')).toBe('suffix');
    expect(idx.find('api.other')).toBe('prefix');
    expect(idx.find('nothing')).toBe('any');
  });

  it('rejects duplicate domains', () => {
    const idx = new VirtualHostIndex<number>();
    idx.add('rc', 'a', 1);
    expect(() => idx.add('rc', 'A', 2)).toThrow(/duplicate domain/);
  });
});

describe('retry back-off', () => {
  it('is fully jittered over [0, (2^n - 1) × 25ms], capped at 250ms', () => {
    const p = compileRetryPolicy('r', { retry_on: '5xx', num_retries: { value: 3 } });
    if (p === undefined) throw new Error('no policy');
    const lowest = (): number => 0;
    const highest = (): number => 0.999999;
    const middle = (): number => 0.5;
    expect([1, 2, 3, 8].map((n) => backoffMs(p, n, lowest))).toEqual([0, 0, 0, 0]);
    expect([1, 2, 3, 8].map((n) => backoffMs(p, n, highest))).toEqual([25, 75, 175, 250]);
    expect([1, 2, 3, 8].map((n) => backoffMs(p, n, middle))).toEqual([13, 38, 88, 125]);
  });

  it('rejects unknown retry_on values', () => {
    expect(() => compileRetryPolicy('route x', { retry_on: '5xx,sometimes' })).toThrow(/route x: unknown retry_on "sometimes"/);
  });
});

describe('consistent hashing', () => {
  it('maps the same key to the same host and spreads different keys', () => {
    const cfg = compileCluster({ name: 'c', type: 'STATIC', lb_policy: 'RING_HASH' }, 0);
    const hosts = [1, 2, 3].map((i) => new Endpoint({ host: `10.0.0.${i}`, port: 9080, healthy: true, weight: 1 }, cfg));
    const lb = createLoadBalancer('RING_HASH', hosts, Math.random);
    const first = lb.pick(fnv1a('jason'), undefined, 1);
    for (let i = 0; i < 20; i++) expect(lb.pick(fnv1a('jason'), undefined, 1)).toBe(first);
    const used = new Set(Array.from({ length: 100 }, (_, i) => lb.pick(fnv1a(`user-${i}`), undefined, 1)));
    expect(used.size).toBe(3);
  });
});
