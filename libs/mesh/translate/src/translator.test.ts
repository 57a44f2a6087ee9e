import { bookinfoSnapshot, destinationRuleAll, GATEWAY_PROXY, PODS, sidecarProxy } from './testing/bookinfo';
import { translate } from './translate';
import { createTranslator } from './translator';

describe('createTranslator (memoising translate)', () => {
  const snapshot = bookinfoSnapshot({ destinationRules: destinationRuleAll });
  const proxies = [...Object.keys(PODS).map((d) => sidecarProxy(d)), GATEWAY_PROXY];

  it('gives exactly what translate gives, for every Bookinfo proxy and the gateway', () => {
    const t = createTranslator();
    for (const p of proxies) expect(t(snapshot, p)).toEqual(translate(snapshot, p));
  });

  it('shares outbound objects between sidecars of one namespace, but not inbound ones', () => {
    const t = createTranslator();
    const a = t(snapshot, sidecarProxy('reviews-v1'));
    const b = t(snapshot, sidecarProxy('ratings-v1'));
    const shared = (r: typeof a, name: string): unknown => r.clusters.find((c) => c.name === name);
    const name = 'outbound|9080||reviews.default.svc.cluster.local';
    expect(shared(a, name)).toBe(shared(b, name));
    expect(a.routes[0]).toBe(b.routes[0]);
    const c = t(snapshot, sidecarProxy('reviews-v1', { interception: 'NONE' }));
    const d = t(snapshot, sidecarProxy('ratings-v1', { interception: 'NONE' }));
    expect(c.listeners).not.toEqual(d.listeners); // each binds its own pod address
  });

  it('starts over when the snapshot changes', () => {
    const t = createTranslator();
    const before = t(snapshot, sidecarProxy('productpage-v1'));
    const next = bookinfoSnapshot({ destinationRules: [] });
    const after = t(next, sidecarProxy('productpage-v1'));
    expect(after).toEqual(translate(next, sidecarProxy('productpage-v1')));
    expect(after.clusters.length).toBeLessThan(before.clusters.length);
  });
});
