import { toMeshService } from './convert';
import type { KubeService } from './k8s-types';

const svc = (annotations?: Record<string, string>): KubeService => ({
  metadata: { name: 'httpbin', namespace: 'foo', ...(annotations ? { annotations } : {}) },
  spec: { selector: { app: 'httpbin' }, ports: [{ name: 'http', port: 8000, targetPort: 80 }] },
});

describe('toMeshService: Istio\'s networking.istio.io/exportTo annotation', () => {
  it('is split at commas (spaces trimmed); absent or empty = no exportTo (the mesh default applies)', () => {
    expect(toMeshService(svc({ 'networking.istio.io/exportTo': '., bar' }), [], 'cluster.local').exportTo).toEqual(['.', 'bar']);
    expect(toMeshService(svc({ 'networking.istio.io/exportTo': '~' }), [], 'cluster.local').exportTo).toEqual(['~']);
    expect(toMeshService(svc({ 'networking.istio.io/exportTo': '' }), [], 'cluster.local')).not.toHaveProperty('exportTo');
    expect(toMeshService(svc(), [], 'cluster.local')).not.toHaveProperty('exportTo');
  });
});
