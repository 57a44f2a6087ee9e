import path from 'node:path';
import {
  FileConfigStore,
  FileMeshConfig,
  FileSecretStore,
  LocalRegistry,
  persistRegistry,
  type ConfigStore,
  type CredentialSource,
  type MemorySecretStore,
  type MeshConfigSource,
  type ServiceRegistry,
} from '@trellis/mesh-config';
import { GatewayApiController, GATEWAY_DEPLOYMENT_LEASE, KubeClient, KubeConfigStore, KubeCredentials, KubeMeshConfig, KubeRegistry, LeaderElection, loadKubeConfig, runInjectorWebhook } from '@trellis/mesh-kube';
import type { Logger } from '@trellis/shared';
import type { ControlPlaneConfig, KubeModeConfig } from './config';

/** Where config and services come from: the only difference between local and Kubernetes mode. */
export interface Sources {
  readonly store: ConfigStore;
  readonly registry: ServiceRegistry;
  /** Gateway credentials: the local secret store, or the cluster's Secrets. */
  readonly credentials: CredentialSource;
  /** Istio's MeshConfig: `<state>/mesh.yaml` (or `--mesh-config`), or the `istio` ConfigMap. */
  readonly meshConfig: MeshConfigSource;
  /** Local mode only: where `trellis apply -f secret.yaml` writes. */
  readonly secretStore?: MemorySecretStore;
  readonly mode: 'local' | 'kube';
  close(): Promise<void>;
}

async function localSources(config: ControlPlaneConfig, logger: Logger): Promise<Sources> {
  const store = await FileConfigStore.open(config.stateDir, { logger });
  const secretStore = await FileSecretStore.open(config.stateDir, logger);
  const registry = new LocalRegistry();
  // The local registry survives restarts like the config does (Kubernetes mode re-lists instead).
  const persisted = persistRegistry(registry, path.join(config.stateDir, 'registry.json'), logger);
  const meshConfig = await FileMeshConfig.open({ file: config.meshConfigFile ?? path.join(config.stateDir, 'mesh.yaml'), logger });
  return {
    store,
    registry,
    credentials: secretStore,
    meshConfig,
    secretStore,
    mode: 'local',
    close: async () => {
      meshConfig.close();
      persisted.stop();
      await persisted.flush();
    },
  };
}

async function kubeSources(kube: KubeModeConfig, logger: Logger): Promise<Sources> {
  const source = kube.kubeconfig ? { type: 'file' as const, path: kube.kubeconfig } : { type: 'default' as const };
  const client = KubeClient.load(source);
  const store = await KubeConfigStore.start({ client, logger });
  const registry = await KubeRegistry.start({ client, logger });
  const credentials = KubeCredentials.start({ client, logger });
  const meshConfig = KubeMeshConfig.start({ client, namespace: kube.namespace, logger });
  await Promise.all([store.ready(), registry.ready(), credentials.ready(), meshConfig.ready()]);
  // istiod's Gateway API controller: deploys each Gateway of class istio and writes the status back.
  // One replica runs it, elected on istiod's Lease (a rolling update runs two control planes for a while).
  const istiod = `istiod.${kube.namespace}.svc`;
  const gatewayApi = await new LeaderElection({ client, namespace: kube.namespace, name: GATEWAY_DEPLOYMENT_LEASE, identity: kube.identity, logger }, async () => {
    const controller = await new GatewayApiController({
      client,
      store,
      registry,
      workload: { proxyImage: kube.proxyImage, xdsAddress: `${istiod}:15010`, caAddress: `${istiod}:15012` },
      logger,
    }).start();
    return () => controller.stop();
  }).start();
  const webhook =
    kube.webhookPort === 0
      ? undefined
      : await runInjectorWebhook({ kube: loadKubeConfig(source), port: kube.webhookPort, url: kube.webhookUrl, meshConfig: { proxyImage: kube.proxyImage, defaultProxyConfig: () => meshConfig.meshConfig().defaultConfig }, logger });
  return {
    store,
    registry,
    credentials,
    meshConfig,
    mode: 'kube',
    close: async () => {
      await webhook?.close();
      await gatewayApi.stop();
      await Promise.all([store.stop(), registry.stop(), credentials.stop(), meshConfig.stop()]);
    },
  };
}

export function openSources(config: ControlPlaneConfig, logger: Logger): Promise<Sources> {
  return config.kube ? kubeSources(config.kube, logger) : localSources(config, logger);
}
