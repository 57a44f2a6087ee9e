import type { InjectMeshConfig } from '../pod/mesh-config';

/** The mesh config every golden file was produced with. */
export const TEST_MESH: InjectMeshConfig = {
  proxyImage: 'ghcr.io/trellis/proxy:0.1.0',
  imagePullPolicy: 'IfNotPresent',
};

export const ENABLED_NAMESPACE = { 'istio-injection': 'enabled' };
