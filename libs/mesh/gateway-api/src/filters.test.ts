import type { IstioConfig, VirtualService } from '@trellis/mesh-api';
import { simulate, translate } from '@trellis/mesh-translate';
import { convertGatewayApi } from './convert';
import { router, snapshotOf } from './testing/decisions';
import { input, sample } from './testing/fixture';

const gateway = sample('gateway-api/bookinfo-gateway.yaml').filter((c) => c.kind === 'Gateway');
const route = (rules: Record<string, unknown>[]): IstioConfig =>
  ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'default' }, spec: { parentRefs: [{ name: 'bookinfo-gateway' }], rules } }) as unknown as IstioConfig;
const pp = { name: 'productpage', port: 9080 };
const vsOf = (rules: Record<string, unknown>[]): VirtualService | undefined =>
  convertGatewayApi(input([...gateway, route(rules)])).configs.find((c): c is VirtualService => c.kind === 'VirtualService');
const deployed = router('default', { 'gateway.networking.k8s.io/gateway-name': 'bookinfo-gateway' });

describe('HTTPRoute filters, timeouts and matches → VirtualService', () => {
  it('header modifiers, mirror, timeouts, method/header/query matches', () => {
    const vs = vsOf([
      {
        matches: [{ path: { type: 'Exact', value: '/p' }, method: 'GET', headers: [{ name: 'End-User', value: 'jason' }], queryParams: [{ type: 'RegularExpression', name: 'u', value: 'n.*' }] }],
        filters: [
          { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'X-A', value: '1' }], remove: ['x-b'] } },
          { type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'X-C', value: '2' }] } },
          { type: 'RequestMirror', requestMirror: { backendRef: { name: 'ratings', port: 9080 }, fraction: { numerator: 1, denominator: 4 } } },
        ],
        timeouts: { request: '1m30s' },
        backendRefs: [pp],
      },
    ]);
    expect(vs?.spec.http?.[0]).toEqual({
      name: 'default.r.0',
      match: [{ uri: { exact: '/p' }, headers: { 'end-user': { exact: 'jason' } }, queryParams: { u: { regex: 'n.*' } }, method: { exact: 'GET' } }],
      headers: { request: { set: { 'x-a': '1' }, remove: ['x-b'] }, response: { add: { 'x-c': '2' } } },
      mirrors: [{ destination: { host: 'ratings.default.svc.cluster.local', port: { number: 9080 } }, percentage: { value: 25 } }],
      timeout: '90s',
      route: [{ destination: { host: 'productpage.default.svc.cluster.local', port: { number: 9080 } } }],
    });
  });

  it('redirects with the API default 302, and rewrites prefixes segment-wise through the proxy route table', () => {
    expect(vsOf([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', hostname: 'a.example' } }] }])?.spec.http?.[0]?.redirect).toEqual({
      redirectCode: 302,
      scheme: 'https',
      authority: 'a.example',
    });
    const rewrite = [{ matches: [{ path: { type: 'PathPrefix', value: '/old' } }], filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/new' } } }], backendRefs: [pp] }];
    const xds = translate(snapshotOf([...gateway, route(rewrite)]), deployed);
    const send = (path: string) => simulate(xds, { host: 'x', port: 80, path });
    expect(send('/old/a').route).toBe('default.r.0');
    expect(send('/oldish').matched).toBe(false);
    const routes = xds.routes.flatMap((rc) => rc.virtual_hosts ?? []).flatMap((vh) => vh.routes ?? []);
    expect(routes.map((r) => [r.match?.path ?? r.match?.prefix, r.route?.prefix_rewrite ?? r.route?.regex_rewrite?.substitution])).toEqual([
      ['/old', '/new'],
      ['/old/', '/new/'],
    ]);
  });

  it('answers 500 when every backend has weight 0 or is missing', () => {
    expect(vsOf([{ backendRefs: [{ ...pp, weight: 0 }] }])?.spec.http?.[0]?.directResponse).toEqual({ status: 500 });
  });
});
