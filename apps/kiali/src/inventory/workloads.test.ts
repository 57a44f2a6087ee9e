import { deploymentName, groupWorkloads } from './workloads';

const pod = (name: string, ready = true) => ({ name, namespace: 'default', address: '127.0.10.10', labels: { app: 'reviews', version: 'v2' }, serviceAccount: 'bookinfo-reviews', sidecar: true, ready });

describe('workloads from pods', () => {
  it("strips Kubernetes' generated -<template-hash>-<suffix>, and keeps other names", () => {
    expect(deploymentName('reviews-v2-7d79d5bd5d-8zzqd')).toBe('reviews-v2');
    expect(deploymentName('productpage-v1-6b746f74dc-b2c4z')).toBe('productpage-v1');
    expect(deploymentName('mysqldb')).toBe('mysqldb');
    expect(deploymentName('reviews-v2-abcdefaeio-8zzqd')).toBe('reviews-v2-abcdefaeio-8zzqd');
  });

  it('groups pods of one Deployment, with app, version and readiness', () => {
    const grouped = groupWorkloads([pod('reviews-v2-7d79d5bd5d-8zzqd'), pod('reviews-v2-7d79d5bd5d-b2b2b', false)]);
    expect(grouped).toEqual([
      {
        namespace: 'default',
        name: 'reviews-v2',
        app: 'reviews',
        version: 'v2',
        labels: { app: 'reviews', version: 'v2' },
        serviceAccount: 'bookinfo-reviews',
        sidecar: true,
        pods: [
          { name: 'reviews-v2-7d79d5bd5d-8zzqd', address: '127.0.10.10', ready: true },
          { name: 'reviews-v2-7d79d5bd5d-b2b2b', address: '127.0.10.10', ready: false },
        ],
      },
    ]);
  });
});
