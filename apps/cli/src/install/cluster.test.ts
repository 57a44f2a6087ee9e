import { isReady } from './cluster';

const deployment = (status: object, generation = 2, replicas?: number) => ({ metadata: { generation }, spec: replicas === undefined ? {} : { replicas }, status });
const available = { type: 'Available', status: 'True' };

describe('isReady', () => {
  it('waits for CRDs to be Established', () => {
    expect(isReady('CustomResourceDefinition', { metadata: {}, status: { conditions: [{ type: 'Established', status: 'True' }] } })).toBe(true);
    expect(isReady('CustomResourceDefinition', { metadata: {}, status: { conditions: [{ type: 'NamesAccepted', status: 'True' }] } })).toBe(false);
  });

  it('waits for Deployments to be observed, Available and fully available', () => {
    expect(isReady('Deployment', deployment({ observedGeneration: 2, conditions: [available], availableReplicas: 1 }))).toBe(true);
    expect(isReady('Deployment', deployment({ observedGeneration: 1, conditions: [available], availableReplicas: 1 }))).toBe(false);
    expect(isReady('Deployment', deployment({ observedGeneration: 2, conditions: [available], availableReplicas: 1 }, 2, 2))).toBe(false);
    expect(isReady('Deployment', deployment({ observedGeneration: 2, conditions: [{ type: 'Available', status: 'False' }] }))).toBe(false);
    expect(isReady('Service', { metadata: {} })).toBe(true);
  });
});
