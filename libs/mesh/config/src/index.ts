export type {
  ConfigStore,
  ConfigRef,
  ConfigChange,
  ConfigListener,
  ApplyAction,
  ApplyOptions,
  ApplyResult,
  DeleteAction,
  DeleteResult,
} from './store/config-store';
export { MemoryConfigStore, type StoreOptions } from './store/memory-store';
export { FileConfigStore, type FileStoreOptions, type LoadError } from './store/file-store';
export { StatusOverlayStore, type StatusOf } from './store/status-overlay-store';
export type { ServiceRegistry, RegistryChange, RegistryListener, UpsertAction } from './registry/service-registry';
export { LocalRegistry } from './registry/local-registry';
export { persistRegistry } from './registry/registry-file';
export { SnapshotBuilder, type SnapshotBuilderOptions, type SnapshotListener } from './snapshot/snapshot-builder';
export type { GatewayApiSource } from './snapshot/gateway-api-source';
export { configApi, type ConfigApiOptions } from './http/config-api';
export { toHttpError, errorHandler, type ErrorBody } from './http/http-errors';
export { analyzeRequest } from './http/analyze-route';
export type {
  AnalyzeRequest,
  AnalyzeResponse,
  ApplyResponse,
  ConfigListResponse,
  ConfigObjectsRequest,
  DeleteResponse,
  RegistryDeleteResponse,
  RegistryListResponse,
  RegistryUpsertResponse,
  ReportedAnalysisMessage,
  ValidationDetail,
} from './http/api-types';
export type { CredentialSource } from './secrets/credential-source';
export { MemorySecretStore, type SecretResult } from './secrets/secret-store';
export { FileSecretStore } from './secrets/file-secret-store';
export { JwksResolver, DEFAULT_JWKS_REFRESH_MS, type JwksSource, type JwksResolverOptions } from './jwks/jwks-resolver';
export { JWKS_FETCH_FAILED } from './jwks/http-get';
export { registryDialer, type Dialer, type DialTarget } from './jwks/registry-dial';
export { MESH_CONFIG_INVALID, parseMeshConfig, staticMeshConfig, withMeshDefaults, type MeshConfigSource } from './mesh-config/mesh-config-source';
export { FileMeshConfig, type FileMeshConfigOptions } from './mesh-config/file-mesh-config';
