// Client layer
export { KubeClient, type Query, type RequestOptions } from './client/kube-client';
export { loadKubeConfig, type KubeConfigSource } from './client/kube-config';
export { groupVersionPath, preferredVersion, servedResources, servedVersions } from './client/discovery';
export {
  KUBE_API_ERROR,
  isConflict,
  isForbidden,
  isGone,
  isNotFound,
  kubeErrorContext,
  kubeStatusOf,
  type KubeErrorContext,
} from './client/errors';
export { isKubeObject, isKubeStatus, objectKey, type KubeList, type KubeObject, type KubeObjectMeta, type KubeStatus, type WatchEvent, type WatchEventType } from './client/types';

// Informers
export { Informer, type InformerOptions, type InformerStats } from './informer/informer';
export type { InformerEvent, InformerEventType, InformerListener } from './informer/informer-events';
export type { BackoffOptions } from './informer/backoff';

// Config store
export { KubeConfigStore, type KubeConfigStoreOptions } from './config/kube-config-store';
export { discoverIstioVersions, istioPath, type IstioVersions } from './config/istio-resources';
export { toIstioConfig, semanticErrors, type IstioObject } from './config/convert';
export { VALIDATION_FAILED_REASON } from './config/validation-events';

// Registry
export { KubeRegistry, type KubeRegistryOptions } from './registry/kube-registry';
export { protocolOf, toMeshService, toWorkload, hasSidecar } from './registry/convert';
export type { KubeEndpointSlice, KubeNamespace, KubePod, KubeService } from './registry/k8s-types';

// CRDs
export { installCrds, type InstallCrdsOptions } from './crds/install-crds';

// Sidecar injector webhook
export * from './webhook';
