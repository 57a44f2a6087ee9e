// Envoy proto loading and codecs
export { ENVOY_DESCRIPTOR_FILE, envoyDescriptorJson, envoyRoot } from './proto/root';
export { packResource, unpackResource, type PackedAny } from './proto/codec';
export { ENVOY_WIRE_SCHEMA_FILE, type WireSchema } from './proto/wire-schema';
export { envoyWireSchema } from './proto/wire-schema-build';
export { decodeAnyValue } from './proto/wire-decode';
export { envoyGrpcService } from './proto/envoy-service';
export {
  TYPE_URLS,
  TYPE_PREFIX,
  PUSH_ORDER,
  typeShortOf,
  isFullStateType,
  type XdsTypeShort,
} from './proto/type-urls';
export { parseDuration, durationToMs, type DurationObject } from './proto/duration';
export {
  adsServiceDefinition,
  ADS_METHOD_PATH,
  type DiscoveryRequest,
  type DiscoveryResponse,
  type XdsNode,
  type RpcStatus,
} from './proto/discovery';
export { deltaClientMethod } from './proto/discovery';
export { DELTA_ADS_METHOD_PATH, type DeltaDiscoveryRequest, type DeltaDiscoveryResponse, type DeltaResource } from './proto/delta-types';
export { VHDS_CLIENT_FEATURE, VHDS_TYPE_URL } from './vhds/vhds';
export { emptyResources, resourceName, resourcesOfType, type XdsResource, type XdsResources } from './resources';

// ADS server
export { createAdsServer, type AdsServer, type AdsServerOptions } from './server/ads-server';
export { proxyInfoFromNode } from './server/node-info';
export type { ProxySyncStatus, TypeSyncStatus } from './server/proxy-connection';
export type { NackRecord, SyncState } from './server/type-state';
export { DEFAULT_DEBOUNCE, type DebounceOptions } from './server/debounce';
export { DEFAULT_DELTA_LIMITS, type DeltaLimits } from './server/delta-state';
export { xdsDebugApi, type XdsDebugApiOptions } from './server/debug-api';

// ADS client
export { createAdsClient, type AdsClient, type AdsClientOptions, type AdsProtocol } from './client/ads-client';
export { edsNamesOf, rdsNamesOf, sdsNamesOf } from './client/references';
export { redactSecrets, REDACTED_KEY } from './server/redact-secrets';
