import { type AlpnOverride, AlpnPools, alpnChoice } from './alpn-pools';
import type { PoolOptions, UpstreamHandler, UpstreamPool, UpstreamRequest } from './upstream-pool';

const OPTIONS: PoolOptions = { maxConnections: 0, connectTimeoutMs: 1000, idleTimeoutMs: 1000, maxRequestsPerConnection: 0, maxHeaderBytes: 1024, sni: 'outbound_.9001_._.tcp-echo' };
const ISTIO: AlpnOverride = {
  http10: alpnChoice(['istio-http/1.0', 'istio', 'http/1.0']),
  http11: alpnChoice(['istio-http/1.1', 'istio', 'http/1.1']),
  http2: alpnChoice(['istio-h2', 'istio', 'h2']),
};
const handler = {} as UpstreamHandler;

/** A pool per create() call, remembering its options and what it was given. */
function fakes(): { made: { options: PoolOptions; requests: UpstreamRequest[]; closed: boolean }[]; create: (o: PoolOptions) => UpstreamPool } {
  const made: { options: PoolOptions; requests: UpstreamRequest[]; closed: boolean }[] = [];
  const create = (options: PoolOptions): UpstreamPool => {
    const rec = { options, requests: [] as UpstreamRequest[], closed: false };
    made.push(rec);
    return { connected: 1, dispatch: (req) => void rec.requests.push(req), close: async () => void (rec.closed = true), destroy: () => void (rec.closed = true) };
  };
  return { made, create };
}

const req = (alpn?: AlpnOverride): UpstreamRequest => ({ method: 'GET', path: '/', headers: { host: 'tcp-echo:9001' }, body: null, alpn });

describe('AlpnPools: one pool per offered ALPN', () => {
  it("HTTP/1.1 cluster: requests with istio.alpn share a pool offering istio-http/1.1; others keep the cluster's ALPN", () => {
    const { made, create } = fakes();
    const pools = new AlpnPools(OPTIONS, false, create);
    pools.dispatch(req(ISTIO), handler);
    pools.dispatch(req(ISTIO), handler);
    pools.dispatch(req(), handler);
    expect(made.map((m) => [m.options.alpn, m.options.sni, m.requests.length])).toEqual([
      [['istio-http/1.1', 'istio', 'http/1.1'], 'outbound_.9001_._.tcp-echo', 2],
      [undefined, 'outbound_.9001_._.tcp-echo', 1],
    ]);
    expect(pools.connected).toBe(2);
  });

  it('HTTP/2 cluster: the HTTP2 list (istio-h2)', () => {
    const { made, create } = fakes();
    new AlpnPools(OPTIONS, true, create).dispatch(req(ISTIO), handler);
    expect(made[0]?.options.alpn).toEqual(['istio-h2', 'istio', 'h2']);
  });

  it('equal lists from different HCMs share a pool; a different list gets its own', () => {
    const { made, create } = fakes();
    const pools = new AlpnPools(OPTIONS, false, create);
    const same: AlpnOverride = { ...ISTIO, http11: alpnChoice(['istio-http/1.1', 'istio', 'http/1.1']) };
    const other: AlpnOverride = { ...ISTIO, http11: alpnChoice(['custom']) };
    for (const o of [ISTIO, same, other]) pools.dispatch(req(o), handler);
    expect(made.map((m) => m.requests.length)).toEqual([2, 1]);
  });

  it('an override without a list for the protocol is no override', () => {
    const { made, create } = fakes();
    new AlpnPools(OPTIONS, true, create).dispatch(req({ ...ISTIO, http2: undefined }), handler);
    expect(made[0]?.options.alpn).toBeUndefined();
  });

  it('close() closes every pool and later requests get a pool that is not kept', async () => {
    const { made, create } = fakes();
    const pools = new AlpnPools(OPTIONS, false, create);
    pools.dispatch(req(ISTIO), handler);
    pools.dispatch(req(), handler);
    await pools.close();
    expect(made.map((m) => m.closed)).toEqual([true, true]);
    pools.dispatch(req(ISTIO), handler);
    expect(made).toHaveLength(3);
  });
});
