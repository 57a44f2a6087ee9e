import type { DestinationRule, MeshService, VirtualService } from '../index';
import { analyzeOverlay, formatMessage } from '../index';

const reviews: MeshService = {
  name: 'reviews',
  namespace: 'default',
  hostname: 'reviews.default.svc.cluster.local',
  ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' }],
  selector: { app: 'reviews' },
};
const vs: VirtualService = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] },
};
const dr: DestinationRule = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'reviews', namespace: 'default' },
  spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
};

describe('analyzeOverlay', () => {
  it('analyzes stored config with the submitted objects laid over it', () => {
    const stored = analyzeOverlay({ stored: [vs], submitted: [], namespace: undefined, services: [reviews] }).map(formatMessage);
    expect(stored).toEqual(['Error [IST0101] (VirtualService default/reviews) Referenced host+subset in destinationrule not found: "reviews+v1"']);
    expect(analyzeOverlay({ stored: [vs], submitted: [dr], namespace: undefined, services: [reviews] })).toEqual([]);
  });

  it('reports invalid submitted objects as IST0106, drops stored errors of replaced objects, filters by namespace', () => {
    const storedError = { kind: 'VirtualService', namespace: 'default', name: 'reviews', path: 'spec.hosts', message: 'is required' };
    const replaced = analyzeOverlay({ stored: [dr], storedErrors: [storedError], submitted: [vs], namespace: 'default', services: [reviews] });
    expect(replaced).toEqual([]);
    const bad = { ...vs, metadata: { name: 'bad', namespace: 'default' }, spec: { hosts: 'reviews' } };
    const out = analyzeOverlay({ stored: [dr], submitted: [bad], namespace: 'default', services: [reviews] }).map((m) => m.code);
    expect(out).toEqual(['IST0106']);
    expect(analyzeOverlay({ stored: [dr], submitted: [bad], namespace: 'other', services: [reviews] })).toEqual([]);
  });
});
