import { envBool, envPort, envString } from './env';
import { TrellisError } from './errors';

describe('env', () => {
  it('reads strings with a fallback for unset and empty values', () => {
    expect(envString({ A: 'x' }, 'A', 'd')).toBe('x');
    expect(envString({ A: '' }, 'A', 'd')).toBe('d');
    expect(envString({}, 'A', 'd')).toBe('d');
  });

  it('parses ports and rejects bad ones with a typed error naming the variable', () => {
    expect(envPort({ PORT: '9080' }, 'PORT', 1)).toBe(9080);
    expect(envPort({}, 'PORT', 1)).toBe(1);
    try {
      envPort({ PORT: 'abc' }, 'PORT', 1);
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(TrellisError);
      expect((err as TrellisError).code).toBe('CONFIG_INVALID');
      expect((err as TrellisError).context).toEqual({ variable: 'PORT', value: 'abc' });
    }
  });

  it('parses booleans', () => {
    expect(envBool({ X: 'true' }, 'X', false)).toBe(true);
    expect(envBool({ X: 'false' }, 'X', true)).toBe(false);
    expect(envBool({}, 'X', true)).toBe(true);
  });
});
