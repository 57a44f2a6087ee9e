import { decodeDeltaDiscoveryRequest, encodeDeltaDiscoveryRequestGeneric } from './discovery';
import { deepFreeze, RequestIntern } from './request-intern';
import type { DeltaDiscoveryRequest } from './delta-types';

const names = (n: number, prefix = 'outbound|9080||svc'): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}.default.svc.cluster.local`);
const eds = (list: string[]): Buffer =>
  encodeDeltaDiscoveryRequestGeneric({ type_url: 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment', resource_names_subscribe: list });

describe('RequestIntern', () => {
  it('decodes byte-identical large requests to one frozen object, and others to their own', () => {
    const intern = new RequestIntern(decodeDeltaDiscoveryRequest);
    const a = intern.decode(eds(names(200)));
    const b = intern.decode(eds(names(200)));
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen(a.resource_names_subscribe)).toBe(true);
    expect(() => (a.resource_names_subscribe as string[]).push('x')).toThrow(TypeError);
    const other = intern.decode(eds(names(200, 'outbound|9081||svc')));
    expect(other).not.toBe(a);
    expect(other.resource_names_subscribe![0]).toBe('outbound|9081||svc-0.default.svc.cluster.local');
    expect(intern.size).toBe(2);
  });

  it('decodes small requests (ACKs) as usual: a fresh, unfrozen object each time', () => {
    const intern = new RequestIntern(decodeDeltaDiscoveryRequest);
    const ack = encodeDeltaDiscoveryRequestGeneric({ type_url: 'type.googleapis.com/envoy.config.cluster.v3.Cluster', response_nonce: 'n1' });
    const a = intern.decode(ack);
    expect(intern.decode(ack)).not.toBe(a);
    expect(Object.isFrozen(a)).toBe(false);
    expect(intern.size).toBe(0);
  });

  it('keeps its own copy of the bytes: the caller may reuse its buffer', () => {
    const intern = new RequestIntern(decodeDeltaDiscoveryRequest);
    const bytes = eds(names(100));
    const first = intern.decode(bytes);
    const pristine = Buffer.from(bytes);
    bytes.fill(0);
    expect(intern.decode(pristine)).toBe(first);
  });

  it('is bounded in entries and bytes, forgetting the oldest first', () => {
    const decoded: DeltaDiscoveryRequest[] = [];
    const intern = new RequestIntern((b) => {
      const r = decodeDeltaDiscoveryRequest(b);
      decoded.push(r);
      return r;
    }, { minBytes: 16, maxEntries: 3, maxBytes: 1 << 20 });
    const requests = [0, 1, 2, 3].map((i) => eds(names(10, `p${i}`)));
    for (const r of requests) intern.decode(r);
    expect(intern.size).toBe(3);
    intern.decode(requests[3]!);
    expect(decoded).toHaveLength(4);
    intern.decode(requests[0]!);
    expect(decoded).toHaveLength(5);
    const small = new RequestIntern(decodeDeltaDiscoveryRequest, { minBytes: 16, maxEntries: 100, maxBytes: requests[0]!.length * 2 });
    for (const r of requests) small.decode(r);
    expect(small.size).toBe(2);
  });

  it('deepFreeze freezes nested objects and arrays, leaves buffers alone', () => {
    const value = deepFreeze({ a: [{ b: 1 }], m: { k: 'v' }, bytes: Buffer.from('x') });
    expect(Object.isFrozen(value.a[0])).toBe(true);
    expect(Object.isFrozen(value.m)).toBe(true);
    expect(Object.isFrozen(value.bytes)).toBe(false);
  });
});
