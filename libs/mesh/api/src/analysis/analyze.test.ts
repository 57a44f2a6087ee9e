import type { DestinationRule, Gateway, MeshService, ServiceEntry, VirtualService } from '../index';
import { analyze, formatMessage } from '../index';

const svc = (name: string, namespace = 'default', ports = [9080]): MeshService => ({
  name,
  namespace,
  hostname: `${name}.${namespace}.svc.cluster.local`,
  ports: ports.map((port) => ({ name: `http-${port}`, port, targetPort: port, protocol: 'HTTP' })),
  selector: { app: name },
});

const vs = (name: string, spec: VirtualService['spec'], namespace = 'default'): VirtualService => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name, namespace },
  spec,
});

const dr = (host: string, subsets: string[], namespace = 'default'): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: host.split('.')[0]!, namespace },
  spec: { host, subsets: subsets.map((name) => ({ name, labels: { version: name } })) },
});

const to = (host: string, subset?: string, weight?: number): { destination: { host: string; subset?: string }; weight?: number } => ({
  destination: subset === undefined ? { host } : { host, subset },
  ...(weight === undefined ? {} : { weight }),
});

const lines = (input: Parameters<typeof analyze>[0]): string[] => analyze(input).map(formatMessage);

describe('analyze', () => {
  it('reports a subset no DestinationRule defines, in istioctl format', () => {
    const out = lines({ services: [svc('reviews')], virtualServices: [vs('reviews', { hosts: ['reviews'], http: [{ route: [to('reviews', 'v1')] }] })] });
    expect(out).toEqual(['Error [IST0101] (VirtualService default/reviews) Referenced host+subset in destinationrule not found: "reviews+v1"']);
  });

  it('resolves short hosts in the namespace of each resource', () => {
    const services = [svc('reviews', 'bookinfo')];
    const virtualServices = [vs('reviews', { hosts: ['reviews'], http: [{ route: [to('reviews', 'v1')] }] }, 'bookinfo')];
    expect(analyze({ services, virtualServices, destinationRules: [dr('reviews', ['v1'], 'bookinfo')] })).toEqual([]);
    expect(analyze({ services, virtualServices, destinationRules: [dr('reviews.bookinfo.svc.cluster.local', ['v1'], 'other')] })).toEqual([]);
    // a short DR host in another namespace means another service
    const msgs = analyze({ services, virtualServices, destinationRules: [dr('reviews', ['v1'], 'other')] });
    expect(msgs.map((m) => m.code)).toEqual(['IST0101']);
    // the VS in another namespace refers to a service that does not exist there
    const elsewhere = analyze({ services, virtualServices: [vs('r', { http: [{ route: [to('reviews')] }] }, 'default')] });
    expect(elsewhere.map((m) => m.message)).toEqual(['Referenced host not found: "reviews"']);
  });

  it('reports unknown hosts, and accepts ServiceEntry hosts (also wildcards) and qualified names', () => {
    const serviceEntries: ServiceEntry[] = [
      { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'default' }, spec: { hosts: ['*.example.com'], ports: [{ number: 443, name: 'https' }] } },
    ];
    const virtualServices = [
      vs('a', { http: [{ route: [to('foo')] }, { route: [to('api.example.com')] }, { route: [to('reviews.default.svc.cluster.local')] }, { route: [to('reviews.default')] }] }),
    ];
    const out = lines({ services: [svc('reviews')], serviceEntries, virtualServices });
    expect(out.filter((l) => l.includes('IST0101'))).toEqual(['Error [IST0101] (VirtualService default/a) Referenced host not found: "foo"']);
  });

  it('reports unknown gateways but not mesh', () => {
    const gw: Gateway = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'istio-system' }, spec: { servers: [] } };
    const v = vs('bookinfo', { hosts: ['*'], gateways: ['bookinfo-gateway', 'mesh', 'istio-system/gw'], http: [{ route: [to('productpage')] }] });
    const out = lines({ gateways: [gw], services: [svc('productpage')], virtualServices: [v] });
    expect(out).toEqual(['Error [IST0101] (VirtualService default/bookinfo) Referenced gateway not found: "bookinfo-gateway"']);
  });

  it('checks destination ports against the service', () => {
    const v = vs('r', { http: [{ match: [{ port: 1 }], route: [{ destination: { host: 'reviews', port: { number: 9999 } } }] }, { route: [to('multi')] }] });
    expect(lines({ services: [svc('reviews'), svc('multi', 'default', [80, 81])], virtualServices: [v] })).toEqual([
      'Error [IST0101] (VirtualService default/r) Referenced host:port not found: "reviews:9999"',
      'Error [IST0112] (VirtualService default/r) This VirtualService routes to a service "multi" that exposes multiple ports [80 81]. Specifying a port in the destination is required to disambiguate.',
    ]);
  });

  it('reports weights that do not add up to 100', () => {
    const v = vs('reviews', { http: [{ match: [{ port: 1 }], route: [to('reviews', undefined, 80), to('reviews', undefined, 30)] }, { route: [to('reviews', undefined, 60), to('reviews', undefined, 40)] }] });
    expect(lines({ services: [svc('reviews')], virtualServices: [v] })).toEqual([
      'Error [IST0106] (VirtualService default/reviews) Schema validation error: total destination weight 110 != 100',
    ]);
  });

  it('reports duplicate subset names', () => {
    const d = dr('reviews', ['v1', 'v2', 'v1']);
    expect(lines({ destinationRules: [d] })).toEqual([
      'Error [IST0106] (DestinationRule default/reviews) Schema validation error: duplicate subset names: v1',
    ]);
  });

  it('warns about rules after a catch-all rule and about repeated matches', () => {
    const jason = { headers: { 'end-user': { exact: 'jason' } } };
    const v = vs('reviews', {
      http: [
        { match: [jason], route: [to('reviews')] },
        { name: 'dup', match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [to('reviews')] },
        { route: [to('reviews')] },
        { match: [{ uri: { prefix: '/x' } }], route: [to('reviews')] },
        { route: [to('reviews')] },
      ],
    });
    expect(lines({ services: [svc('reviews')], virtualServices: [v] })).toEqual([
      'Warning [IST0130] (VirtualService default/reviews) VirtualService rule #3 not used (rule #2 matches every request).',
      'Warning [IST0130] (VirtualService default/reviews) VirtualService rule #4 not used (only the last rule can have no matches).',
      'Info [IST0131] (VirtualService default/reviews) VirtualService rule "dup" match #0 is not used (duplicate/overlapping match in rule #0).',
    ]);
  });

  it('reports two mesh VirtualServices for the same host', () => {
    const a = vs('a', { hosts: ['reviews'], http: [{ route: [to('reviews')] }] });
    const b = vs('b', { hosts: ['reviews.default.svc.cluster.local'], http: [{ route: [to('reviews')] }] });
    const out = analyze({ services: [svc('reviews')], virtualServices: [a, b] });
    expect(out.map((m) => [m.code, m.origin])).toEqual([
      ['IST0109', 'VirtualService default/a'],
      ['IST0109', 'VirtualService default/b'],
    ]);
    expect(out[0]!.message).toContain('The VirtualServices default/a,default/b associated with mesh gateway define the same host reviews.default.svc.cluster.local');
  });
});
