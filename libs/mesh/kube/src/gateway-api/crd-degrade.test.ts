import { countCelRules, minorOf, stripCelValidations, supportsCel } from './crd-degrade';

describe('CRD degradation without CEL', () => {
  it('reads the minor version as providers print it', () => {
    expect(minorOf({ major: '1', minor: '20' })).toBe(20);
    expect(minorOf({ major: '1', minor: '27+' })).toBe(27);
    expect(minorOf({ major: '1', minor: '' })).toBeUndefined();
    expect(supportsCel({ major: '1', minor: '20' })).toBe(false);
    expect(supportsCel({ major: '1', minor: '24' })).toBe(false);
    expect(supportsCel({ major: '1', minor: '25' })).toBe(true);
    expect(supportsCel({ major: '', minor: '' })).toBe(true);
  });

  it('removes every x-kubernetes-validations rule and makes scalars nullable (zero values), without touching the input', () => {
    const rule = { rule: 'self.size() > 0', message: 'must not be empty' };
    const schema = {
      type: 'object',
      'x-kubernetes-validations': [rule],
      properties: {
        listeners: { type: 'array', maxItems: 64, 'x-kubernetes-list-type': 'map', items: { type: 'object', 'x-kubernetes-validations': [rule, rule] } },
        name: { type: 'string', pattern: '^[a-z]+$', default: 'x' },
        group: { type: 'string', default: '', maxLength: 253 },
      },
    };
    expect(countCelRules(schema)).toBe(3);
    const stripped = stripCelValidations({ openAPIV3Schema: schema }).openAPIV3Schema;
    expect(countCelRules(stripped)).toBe(0);
    const columns = [{ name: 'Class', type: 'string', jsonPath: '.spec.gatewayClassName' }];
    expect(stripCelValidations({ additionalPrinterColumns: columns })).toEqual({ additionalPrinterColumns: columns });
    expect(stripped).toEqual({
      type: 'object',
      properties: {
        listeners: { type: 'array', maxItems: 64, 'x-kubernetes-list-type': 'map', items: { type: 'object' } },
        name: { type: 'string', pattern: '^[a-z]+$', default: 'x', nullable: true },
        group: { type: 'string', default: '', maxLength: 253, nullable: true },
      },
    });
    expect(countCelRules(schema)).toBe(3);
  });
});
