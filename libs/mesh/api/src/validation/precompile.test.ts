import Ajv from 'ajv';
import { KIND_INFO, precompileValidators, validateConfig } from '../index';

describe('precompileValidators', () => {
  it('compiles every kind once, so validating afterwards compiles nothing', () => {
    const compile = jest.spyOn(Ajv.prototype, 'compile');
    expect(precompileValidators()).toBe(Object.keys(KIND_INFO).length);
    expect(compile).toHaveBeenCalledTimes(Object.keys(KIND_INFO).length);
    compile.mockClear();
    const vs = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'reviews' }, spec: { hosts: ['reviews'], http: [{ route: [{ destination: { host: 'reviews', subset: 'v1' } }] }] } };
    const dr = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews' }, spec: { host: 'reviews', subsets: [{ name: 'v1', labels: { version: 'v1' } }] } };
    expect(validateConfig([vs, dr]).errors).toEqual([]);
    expect(precompileValidators()).toBe(Object.keys(KIND_INFO).length);
    expect(compile).not.toHaveBeenCalled();
    compile.mockRestore();
  });
});
