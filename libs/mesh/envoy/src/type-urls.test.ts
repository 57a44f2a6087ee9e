import * as envoy from './index';
import { LISTENER_FILTER_TYPES, TYPE_PREFIX, TYPE_URLS } from './type-urls';

describe('type URLs', () => {
  const urls = Object.entries(envoy).filter(([name]) => name.endsWith('_TYPE')) as [string, string][];

  it("are all type.googleapis.com URLs of Envoy (and udpa/xds) messages or Istio's own filters, each spelled once", () => {
    expect(urls.length).toBeGreaterThan(10);
    const envoyOrIstio = /^type\.googleapis\.com\/((envoy|udpa|xds)\.[a-z0-9_.]+\.v[13]|istio\.envoy\.[a-z0-9_.]+\.v\d+(alpha\d+)?)\.[A-Za-z]+$|^type\.googleapis\.com\/stats\.PluginConfig$/; // istio/proxy's stats filter package is `stats`
    for (const [, url] of urls) expect(url).toMatch(envoyOrIstio);
    expect(new Set(urls.map(([, url]) => url)).size).toBe(urls.length);
  });

  it('name the xDS resource types by short name', () => {
    expect(TYPE_URLS).toEqual({
      LDS: `${TYPE_PREFIX}envoy.config.listener.v3.Listener`,
      RDS: `${TYPE_PREFIX}envoy.config.route.v3.RouteConfiguration`,
      CDS: `${TYPE_PREFIX}envoy.config.cluster.v3.Cluster`,
      EDS: `${TYPE_PREFIX}envoy.config.endpoint.v3.ClusterLoadAssignment`,
      SDS: `${TYPE_PREFIX}envoy.extensions.transport_sockets.tls.v3.Secret`,
    });
    expect(LISTENER_FILTER_TYPES).toHaveLength(3);
  });
});
