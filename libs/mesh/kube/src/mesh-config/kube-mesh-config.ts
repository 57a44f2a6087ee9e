import type { MeshConfig } from '@trellis/mesh-api';
import { parseMeshConfig, withMeshDefaults, type MeshConfigSource } from '@trellis/mesh-config';
import { errorMessage, silentLogger, type Logger } from '@trellis/shared';
import type { KubeClient } from '../client/kube-client';
import type { KubeObject } from '../client/types';
import { Informer } from '../informer/informer';

export interface KubeMeshConfigOptions {
  readonly client: KubeClient;
  /** The control plane's namespace, where the `istio` ConfigMap lives (Istio: istio-system). */
  readonly namespace?: string;
  /** The ConfigMap's name (Istio: `istio`, `istio-<revision>` for revisions). */
  readonly name?: string;
  readonly logger?: Logger;
}

type ConfigMapObject = KubeObject & { data?: Record<string, string> };

/** The ConfigMap key istiod reads MeshConfig from. */
export const MESH_CONFIG_KEY = 'mesh';

/**
 * Istio's MeshConfig from the `istio` ConfigMap's `mesh` key, as istiod's mesh watcher reads it
 * (pkg/config/mesh/kubemesh): one informer on that one ConfigMap (field selector on its name), a
 * change re-parses it, a missing ConfigMap or key means Istio's defaults, and YAML that does not
 * parse is logged with the ConfigMap and the last good MeshConfig stays.
 */
export class KubeMeshConfig implements MeshConfigSource {
  private readonly informer: Informer<ConfigMapObject>;
  private readonly listeners = new Set<() => void>();
  private readonly logger: Logger;
  private readonly origin: string;
  private current: MeshConfig = withMeshDefaults({});
  private text: string | undefined = '';

  private constructor(options: KubeMeshConfigOptions) {
    const namespace = options.namespace ?? 'istio-system';
    const name = options.name ?? 'istio';
    this.origin = `configmap ${namespace}/${name} key ${MESH_CONFIG_KEY}`;
    this.logger = options.logger ?? silentLogger();
    this.informer = new Informer<ConfigMapObject>({
      client: options.client,
      path: `/api/v1/namespaces/${namespace}/configmaps`,
      fieldSelector: `metadata.name=${name}`,
      logger: this.logger,
    });
    this.informer.onEvents(() => this.reload());
  }

  static start(options: KubeMeshConfigOptions): KubeMeshConfig {
    const source = new KubeMeshConfig(options);
    source.informer.start();
    return source;
  }

  ready(): Promise<void> {
    return this.informer.ready();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  meshConfig(): MeshConfig {
    return this.current;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private reload(): void {
    const text = this.informer.list()[0]?.data?.[MESH_CONFIG_KEY] ?? '';
    if (text === this.text) return;
    try {
      this.current = withMeshDefaults(parseMeshConfig(text, this.origin));
    } catch (e) {
      this.logger.error({ configMap: this.origin, err: errorMessage(e) }, 'mesh config invalid, keeping the last good');
      return;
    }
    this.text = text;
    this.logger.info({ configMap: this.origin }, 'mesh config loaded');
    for (const l of [...this.listeners]) l();
  }
}
