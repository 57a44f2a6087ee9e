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
export { deleteIfExists, serverSideApply } from './client/writes';
export { isKubeObject, isKubeStatus, objectKey, type KubeList, type KubeObject, type KubeObjectMeta, type KubeStatus, type WatchEvent, type WatchEventType } from './client/types';

// Informers
export { Informer, type InformerOptions, type InformerStats } from './informer/informer';
export type { InformerEvent, InformerEventType, InformerListener } from './informer/informer-events';
export type { BackoffOptions } from './informer/backoff';

// Config store
export { KubeConfigStore, type KubeConfigStoreOptions } from './config/kube-config-store';
export {
  discoverIstioVersions,
  getIstioObject,
  istioPath,
  listIstioObjects,
  servedIstioVersion,
  type IstioVersions,
  type ServedResources,
} from './config/istio-resources';
export { istioEnvelope, toIstioConfig, semanticErrors, validateIstioObjects, type IstioObject } from './config/convert';
// Writes of Istio config (the control plane's store and the CLI's cluster mode share them)
export {
  applyIstioConfigs,
  deleteIstioObject,
  TRELLIS_FIELD_MANAGER,
  VALIDATION_FAILED,
  type IstioWriter,
  type Written,
} from './config/writes';
export { VALIDATION_FAILED_REASON } from './config/validation-events';

// Registry
export { KubeRegistry, type KubeRegistryOptions } from './registry/kube-registry';
export { protocolOf, toMeshService, toWorkload, hasSidecar } from './registry/convert';
export type { KubeEndpointSlice, KubeNamespace, KubePod, KubeService } from './registry/k8s-types';

// CRDs
export { installCrds, type InstallCrdsOptions } from './crds/install-crds';

// Gateway API: upstream CRDs (degraded for servers without CEL)
export {
  GATEWAY_CRD_NAME,
  installGatewayApiCrds,
  type GatewayApiCrdsInstall,
  type GatewayApiManifest,
  type InstallGatewayApiCrdsOptions,
} from './gateway-api/install-gateway-api-crds';
export { GATEWAY_API_MANIFESTS_INVALID, loadGatewayApiManifests } from './gateway-api/load-gateway-api-manifests';
export { stripCelValidations, supportsCel, type ServerVersion } from './gateway-api/crd-degrade';
// Gateway API runtime: status writer, automated deployments, the controller tying them to the conversion
export { GatewayApiStatusWriter, type GatewayApiStatusWriterOptions, type StatusWriteSummary } from './gateway-api/status-writer';
export { GatewayDeployer, GATEWAY_DEPLOYER_FIELD_MANAGER, type DeployedGateway, type GatewayDeployerOptions } from './gateway-api/gateway-deployer';
export { GatewayServices, serviceAddresses, type GatewayService } from './gateway-api/gateway-services';
export {
  GATEWAY_NAME_LABEL,
  MANAGED_LABEL,
  SERVICE_TYPE_ANNOTATION,
  gatewayPodLabels,
  gatewayWorkload,
  type GatewayOwner,
  type GatewayWorkload,
  type GatewayWorkloadOptions,
} from './gateway-api/gateway-workload';
export { ensureIstioGatewayClass, GatewayApiController, isKubernetesGateway, type GatewayApiControllerOptions } from './gateway-api/gateway-api-controller';

// Sidecar injector webhook
export * from './webhook';

// Certificate authority: Secrets, TokenReview, root certificate ConfigMaps
export { kubeCaSecretStore } from './ca/ca-secret-store';
export { ISTIO_CA_AUDIENCE, kubeJwtAuthenticator, type KubeJwtOptions } from './ca/token-review';
export { publishRootCert, ROOT_CERT_FIELD_MANAGER, type RootCertPublisher } from './ca/root-cert-publisher';

// Gateway credentials (Secrets → TLS material for SDS)
export { KubeCredentials, type KubeCredentialsOptions } from './secrets/kube-credentials';

// MeshConfig from the `istio` ConfigMap
export { KubeMeshConfig, MESH_CONFIG_KEY, type KubeMeshConfigOptions } from './mesh-config/kube-mesh-config';

// Leader election (coordination.k8s.io/v1 Lease, as client-go's)
export { LeaderElection, type LeaderElectionOptions, type LeaderWork } from './leader/leader-election';
export { GATEWAY_DEPLOYMENT_LEASE } from './leader/lease';
