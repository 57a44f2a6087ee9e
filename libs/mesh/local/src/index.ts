export { readKubeManifest, readKubeManifests, type ManifestSource, type KubeManifest, type KubeService, type KubeDeployment } from './manifest';
export { planLocalMesh, toWorkload, toMeshService, appOfImage, APP_PORT_OFFSET, type LocalPlan, type PodPlan, type LocalPlanOptions } from './plan';
export { podName } from './pod-names';
export { assertPortFree, freePort } from './ports';
export { waitForReady } from './readiness';
export { startLocalStack, type LocalStack, type LocalStackConfig, type ProgressReporter } from './stack';
export { findMariaDb, MARIADB_PACKAGE } from './mariadb';
export { GATEWAY_SERVICE_ACCOUNT, localRootCertFile, tokenFileOf, writeProxyCredentials, type ProxyCredentials, type ProxyIdentity } from './workload-credentials';
