import { isTrellisError } from '@trellis/shared';
import { parseArgs } from './args';

describe('parseArgs (Istio tcp-echo-server command line)', () => {
  it('takes a comma-separated port list and a prefix', () => {
    expect(parseArgs(['9000,9001,9002', 'one'])).toEqual({ ports: [9000, 9001, 9002], prefix: 'one' });
    expect(parseArgs(['9000', 'hello'])).toEqual({ ports: [9000], prefix: 'hello' });
  });

  it.each([[[]], [['9000']], [['9000', 'a', 'b']], [['90x0', 'a']], [['0', 'a']], [['70000', 'a']], [['9000,', 'a']]])('rejects %j', (argv) => {
    let thrown: unknown;
    try {
      parseArgs(argv);
    } catch (err) {
      thrown = err;
    }
    expect(isTrellisError(thrown) && thrown.code === 'INVALID_ARGUMENT').toBe(true);
  });
});
