import type { DeployObject } from './deploy-manifests';
import { applyOrder, deleteOrder, objectLabel, resourcePath } from './resources';

const obj = (apiVersion: string, kind: string, name: string, namespace?: string): { object: DeployObject } => ({
  object: { apiVersion, kind, metadata: { name, ...(namespace === undefined ? {} : { namespace }) } },
});

describe('resources', () => {
  it('maps objects to their REST paths', () => {
    expect(resourcePath(obj('v1', 'Namespace', 'istio-system').object)).toBe('/api/v1/namespaces/istio-system');
    expect(resourcePath(obj('v1', 'Service', 'istiod', 'istio-system').object)).toBe('/api/v1/namespaces/istio-system/services/istiod');
    expect(resourcePath(obj('apps/v1', 'Deployment', 'd').object)).toBe('/apis/apps/v1/namespaces/default/deployments/d');
    expect(resourcePath(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r').object)).toBe('/apis/rbac.authorization.k8s.io/v1/clusterroles/r');
    expect(() => resourcePath(obj('example.com/v1', 'Widget', 'w').object)).toThrow('trellis install does not know how to apply Widget (example.com/v1)');
  });

  it('orders namespaces and CRDs first, identities and RBAC next, workloads last (stable), and deletes in reverse', () => {
    const items = [
      obj('apps/v1', 'Deployment', 'istiod', 'istio-system'),
      obj('v1', 'Service', 'istiod', 'istio-system'),
      obj('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'b'),
      obj('v1', 'ServiceAccount', 'istiod', 'istio-system'),
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'crd-1'),
      obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r'),
      obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'crd-2'),
      obj('v1', 'Namespace', 'istio-system'),
    ];
    const order = applyOrder(items).map((i) => objectLabel(i.object));
    expect(order).toEqual([
      'Namespace::istio-system',
      'CustomResourceDefinition::crd-1',
      'CustomResourceDefinition::crd-2',
      'ServiceAccount:istio-system:istiod',
      'ClusterRole::r',
      'ClusterRoleBinding::b',
      'Service:istio-system:istiod',
      'Deployment:istio-system:istiod',
    ]);
    expect(deleteOrder(items).map((i) => objectLabel(i.object))).toEqual([...order].reverse());
  });
});
