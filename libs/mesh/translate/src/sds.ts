import { SDS_CLUSTER_NAME, SDS_DEFAULT_SECRET_NAME, SDS_ROOT_SECRET_NAME, type SdsConfigSource, type SdsSecretConfig } from '@trellis/mesh-envoy';

/**
 * Istio's workload SDS references (`pkg/model/authentication.go` defaultSDSConfig / rootSDSConfig):
 * gRPC SDS through the bootstrap cluster `sds-grpc` (the agent's UDS in Istio; resolved in-process by
 * the Trellis proxy — no `sds-grpc` cluster is ever sent over CDS), node on the first message only,
 * and an initial fetch timeout of 0 (wait for the secret, never warm without it).
 */
export const SDS_CONFIG_SOURCE: SdsConfigSource = {
  api_config_source: {
    api_type: 'GRPC',
    set_node_on_first_message_only: true,
    transport_api_version: 'V3',
    grpc_services: [{ envoy_grpc: { cluster_name: SDS_CLUSTER_NAME } }],
  },
  initial_fetch_timeout: { seconds: 0, nanos: 0 },
  resource_api_version: 'V3',
};

function sdsSecret(name: string): SdsSecretConfig {
  return { name, sds_config: SDS_CONFIG_SOURCE };
}

/** The workload certificate chain and key (`default`). */
export const SDS_DEFAULT_SECRET: SdsSecretConfig = sdsSecret(SDS_DEFAULT_SECRET_NAME);
/** The mesh root the peer is verified against (`ROOTCA`). */
export const SDS_ROOT_SECRET: SdsSecretConfig = sdsSecret(SDS_ROOT_SECRET_NAME);
