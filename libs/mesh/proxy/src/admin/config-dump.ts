import type { ConfigStore } from '../config/config-store';
import { TYPE_PREFIX } from '../config/proto';
import type { SecretProvider } from '../sds/secret-provider';
import { secretsConfigDump } from '../sds/secrets-dump';

/** Envoy's /config_dump shape: one `*ConfigDump` per type, dynamic resources with their versions. */
export function configDump(store: ConfigStore, secrets?: SecretProvider): { configs: object[] } {
  return {
    configs: [
      {
        '@type': `${TYPE_PREFIX}envoy.admin.v3.ClustersConfigDump`,
        dynamic_active_clusters: store.list('CDS').map((r) => ({
          version_info: r.version,
          cluster: { '@type': `${TYPE_PREFIX}envoy.config.cluster.v3.Cluster`, ...r.resource },
          last_updated: r.lastUpdated,
        })),
      },
      {
        '@type': `${TYPE_PREFIX}envoy.admin.v3.ListenersConfigDump`,
        dynamic_listeners: store.list('LDS').map((r) => ({
          name: r.name,
          active_state: {
            version_info: r.version,
            listener: { '@type': `${TYPE_PREFIX}envoy.config.listener.v3.Listener`, ...r.resource },
            last_updated: r.lastUpdated,
          },
        })),
      },
      {
        '@type': `${TYPE_PREFIX}envoy.admin.v3.RoutesConfigDump`,
        dynamic_route_configs: store.list('RDS').map((r) => ({
          version_info: r.version,
          route_config: { '@type': `${TYPE_PREFIX}envoy.config.route.v3.RouteConfiguration`, ...r.resource },
          last_updated: r.lastUpdated,
        })),
      },
      {
        '@type': `${TYPE_PREFIX}envoy.admin.v3.EndpointsConfigDump`,
        dynamic_endpoint_configs: store.list('EDS').map((r) => ({
          version_info: r.version,
          endpoint_config: { '@type': `${TYPE_PREFIX}envoy.config.endpoint.v3.ClusterLoadAssignment`, ...r.resource },
          last_updated: r.lastUpdated,
        })),
      },
      secretsConfigDump(secrets),
    ],
  };
}
