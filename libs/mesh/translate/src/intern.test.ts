import type { RouteConfiguration, XdsResources } from '@trellis/mesh-envoy';
import { internResources } from './intern';

const vhost = (name: string, cluster: string) => ({ name, domains: [name], routes: [{ match: { prefix: '/' }, route: { cluster } }] });
const rc = (name: string, hosts: ReturnType<typeof vhost>[]): RouteConfiguration => ({ name, virtual_hosts: hosts }) as RouteConfiguration;
const resources = (routes: RouteConfiguration[]): XdsResources => ({ listeners: [], routes, clusters: [], endpoints: [] });

describe('internResources', () => {
  it('a changed route configuration keeps its unchanged virtual hosts\' objects, and equals the new one', () => {
    const prev = resources([rc('9080', [vhost('a', 'ca'), vhost('b', 'cb'), vhost('c', 'cc')]), rc('80', [vhost('d', 'cd')])]);
    const next = resources([rc('9080', [vhost('a', 'ca'), vhost('b', 'cb2'), vhost('c', 'cc')]), rc('80', [vhost('d', 'cd')])]);
    const out = internResources(next, prev);
    expect(out).toEqual(next);
    const [changed, same] = out.routes;
    expect(same).toBe(prev.routes[1]);
    expect(changed).not.toBe(prev.routes[0]);
    expect(changed?.virtual_hosts?.[0]).toBe(prev.routes[0]?.virtual_hosts?.[0]);
    expect(changed?.virtual_hosts?.[1]).toBe(next.routes[0]?.virtual_hosts?.[1]);
    expect(changed?.virtual_hosts?.[2]).toBe(prev.routes[0]?.virtual_hosts?.[2]);
  });

  it('nothing changed: the previous object itself', () => {
    const prev = resources([rc('9080', [vhost('a', 'ca')])]);
    expect(internResources(resources([rc('9080', [vhost('a', 'ca')])]), prev)).toBe(prev);
  });

  it('a removed or added virtual host: the new list, equal to next', () => {
    const prev = resources([rc('9080', [vhost('a', 'ca'), vhost('b', 'cb')])]);
    const next = resources([rc('9080', [vhost('b', 'cb'), vhost('e', 'ce')])]);
    const out = internResources(next, prev);
    expect(out).toEqual(next);
    expect(out.routes[0]?.virtual_hosts?.[0]).toBe(prev.routes[0]?.virtual_hosts?.[1]);
  });
});
