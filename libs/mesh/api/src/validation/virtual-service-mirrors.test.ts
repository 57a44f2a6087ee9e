import { validateConfig } from './validate';

const vs = (http: object[]): object => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'httpbin' }, spec: { hosts: ['httpbin'], http } });
const v1 = { destination: { host: 'httpbin', subset: 'v1' }, weight: 100 };

describe('VirtualService mirrors (Istio 1.22+: mirrors[])', () => {
  it("accepts the mirroring task's mirror + mirrorPercentage, and a mirrors list", () => {
    expect(validateConfig([vs([{ route: [v1], mirror: { host: 'httpbin', subset: 'v2' }, mirrorPercentage: { value: 100.0 } }])]).errors).toEqual([]);
    expect(validateConfig([vs([{ route: [v1], mirrors: [{ destination: { host: 'httpbin', subset: 'v2' }, percentage: { value: 50 } }] }])]).errors).toEqual([]);
  });

  it('rejects mirror together with mirrors, naming the route', () => {
    const { valid, errors } = validateConfig([vs([{ route: [v1] }, { route: [v1], mirror: { host: 'httpbin' }, mirrors: [{ destination: { host: 'httpbin', subset: 'v2' } }] }])]);
    expect(valid).toEqual([]);
    expect(JSON.stringify(errors)).toContain('spec.http[1]');
    expect(JSON.stringify(errors)).toContain('HTTP route cannot contain both mirror and mirrors');
  });
});
