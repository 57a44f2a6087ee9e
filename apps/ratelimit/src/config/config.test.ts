import { isTrellisError } from '@trellis/shared';
import { mergeDomains, parseConfigFile } from './config';
import { limitFor } from './match';
import { ISTIO_TASK_CONFIG } from '../testing/istio-task-config';


const error = (text: string): string => {
  try {
    parseConfigFile('config.yaml', text);
  } catch (err) {
    if (isTrellisError(err)) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'no error';
};

describe('envoyproxy/ratelimit config', () => {
  it("Istio's task: PATH=/productpage 1/minute, any other PATH 100/minute, nothing else limited", () => {
    const [c] = parseConfigFile('config.yaml', ISTIO_TASK_CONFIG);
    expect(limitFor(c, [{ key: 'PATH', value: '/productpage' }])).toMatchObject({ unit: 'minute', requestsPerUnit: 1 });
    expect(limitFor(c, [{ key: 'PATH', value: '/static/x.css' }])).toMatchObject({ unit: 'minute', requestsPerUnit: 100 });
    expect(limitFor(c, [{ key: 'remote_address', value: '10.0.0.1' }])).toBeUndefined();
    // the limit is the last entry's: a longer descriptor leaves the tree
    expect(limitFor(c, [{ key: 'PATH', value: '/productpage' }, { key: 'user', value: 'x' }])).toBeUndefined();
  });

  it('nested descriptors: the node the last entry reaches gives the limit', () => {
    const [c] = parseConfigFile('n.yaml', 'domain: d\ndescriptors:\n  - key: remote_address\n    descriptors:\n      - key: PATH\n        value: /login\n        rate_limit: {unit: second, requests_per_unit: 2}\n');
    expect(limitFor(c, [{ key: 'remote_address', value: '1.2.3.4' }, { key: 'PATH', value: '/login' }])).toMatchObject({ unit: 'second', requestsPerUnit: 2 });
    expect(limitFor(c, [{ key: 'remote_address', value: '1.2.3.4' }])).toBeUndefined();
  });

  it('rejects what the Go service rejects, naming the file and the problem', () => {
    expect(error('domain: d\ndescriptors:\n  - key: PATH\n    rate_limit: {unit: fortnight, requests_per_unit: 1}\n')).toBe("RATELIMIT_CONFIG: config error, file: config.yaml, invalid rate limit unit 'fortnight' at descriptors.descriptors[0]");
    expect(error('domain: d\ndescriptors:\n  - key: PATH\n    ratelimit: {unit: minute}\n')).toBe('RATELIMIT_CONFIG: config error, file: config.yaml, invalid key: ratelimit');
    expect(error('domain: d\ndescriptors:\n  - value: x\n')).toBe('RATELIMIT_CONFIG: config error, file: config.yaml, descriptor has empty key at descriptors.descriptors[0]');
    expect(error('domain: d\ndescriptors:\n  - key: a\n  - key: a\n')).toBe("RATELIMIT_CONFIG: config error, file: config.yaml, duplicate descriptor composite key 'a' at descriptors.descriptors[1]");
    expect(error('descriptors: []\n')).toBe('RATELIMIT_CONFIG: config error, file: config.yaml, config file cannot have empty domain');
    expect(() => mergeDomains([...parseConfigFile('a.yaml', 'domain: d\n'), ...parseConfigFile('b.yaml', 'domain: d\n')])).toThrow(/duplicate domain 'd'/);
  });
});
