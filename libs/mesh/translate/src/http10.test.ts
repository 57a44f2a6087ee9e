import { HCM_FILTER_NAME, type HttpConnectionManager, type Listener } from '@trellis/mesh-envoy';
import { createTranslator, translate } from './index';
import { GATEWAY_PROXY, bookinfoGateway, bookinfoSnapshot, bookinfoVirtualService, bookinfoWithAutoPort, sidecarProxy } from './testing/bookinfo';

/** Istio's HTTP/1.0 switch: PILOT_HTTP10 (every proxy) or a proxy's HTTP10 metadata (that proxy); the auto port shows the sniffing match. */
const snapshot = bookinfoWithAutoPort;

const hcms = (listeners: readonly Listener[]): HttpConnectionManager[] =>
  listeners.flatMap((l) => [...(l.filter_chains ?? []), ...(l.default_filter_chain ? [l.default_filter_chain] : [])])
    .flatMap((c) => c.filters ?? [])
    .filter((f) => f.name === HCM_FILTER_NAME)
    .map((f) => f.typed_config as unknown as HttpConnectionManager);
const accepting = (listeners: readonly Listener[]): boolean[] => [...new Set(hcms(listeners).map((h) => h.http_protocol_options?.accept_http_10 === true))];
const sniffedAlpn = (listeners: readonly Listener[]): unknown =>
  listeners.find((l) => l.name === '10.96.0.40_8000')?.filter_chains?.[0]?.filter_chain_match?.application_protocols;

describe('HTTP/1.0 (accept_http_10)', () => {
  it('is off by default, as in Istio: no HCM accepts it and sniffed plaintext chains do not match http/1.0', () => {
    const r = translate(snapshot(), sidecarProxy('ratings-v1'));
    expect(hcms(r.listeners).length).toBeGreaterThan(2);
    expect(accepting(r.listeners)).toEqual([false]);
    expect(sniffedAlpn(r.listeners)).toEqual(['http/1.1', 'h2c']);
  });

  it("a proxy's HTTP10 metadata turns it on for every HCM of that proxy only (the sniffing match stays)", () => {
    const t = createTranslator();
    const s = snapshot();
    const legacy = t(s, { ...sidecarProxy('ratings-v1'), http10: true });
    const other = t(s, sidecarProxy('reviews-v1'));
    expect(accepting(legacy.listeners)).toEqual([true]);
    expect(sniffedAlpn(legacy.listeners)).toEqual(['http/1.1', 'h2c']);
    expect(accepting(other.listeners)).toEqual([false]);
    // Same group and inputs otherwise: the memo must not hand one proxy the other's result.
    expect(accepting(t(s, sidecarProxy('ratings-v1')).listeners)).toEqual([false]);
  });

  it('PILOT_HTTP10 turns it on for sidecars (inbound and outbound) and gateways, and sniffing matches http/1.0', () => {
    const side = translate(snapshot(), sidecarProxy('ratings-v1'), { http10: true });
    expect(accepting(side.listeners)).toEqual([true]);
    expect(sniffedAlpn(side.listeners)).toEqual(['http/1.0', 'http/1.1', 'h2c']);
    const gw = translate(bookinfoSnapshot({ gateways: [bookinfoGateway], virtualServices: [bookinfoVirtualService] }), GATEWAY_PROXY, { http10: true });
    expect(hcms(gw.listeners).length).toBeGreaterThan(0);
    expect(accepting(gw.listeners)).toEqual([true]);
  });
});
