import type { MeshService } from '../types';
import { HostIndex } from './hosts';

const svc = (exportTo?: string[]): MeshService => ({
  name: 'httpbin', namespace: 'foo', hostname: 'httpbin.foo.svc.cluster.local', ports: [{ name: 'http', port: 8000, targetPort: 80, protocol: 'HTTP' }], selector: { app: 'httpbin' }, ...(exportTo ? { exportTo } : {}),
});

describe('HostIndex: a Service exported with networking.istio.io/exportTo', () => {
  it('is found from the namespaces it is exported to only (. own, ~ none, names)', () => {
    const found = (exportTo: string[] | undefined, from: string): boolean => new HostIndex([svc(exportTo)], []).find('httpbin.foo.svc.cluster.local', from) !== undefined;
    expect(found(undefined, 'default')).toBe(true);
    expect(found(['.'], 'default')).toBe(false);
    expect(found(['.'], 'foo')).toBe(true);
    expect(found(['~'], 'foo')).toBe(false);
    expect(found(['bar', 'default'], 'default')).toBe(true);
  });
});
