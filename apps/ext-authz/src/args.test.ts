import { isTrellisError } from '@trellis/shared';
import { parseArgs } from './args';

describe('parseArgs (the Go server\'s flags)', () => {
  it('defaults to 8000, 9000, service account a, every interface', () => {
    expect(parseArgs([])).toEqual({ httpPort: 8000, grpcPort: 9000, allowServiceAccount: 'a', host: undefined });
  });

  it('reads -flag value, -flag=value and --flag; flags beat the environment', () => {
    const env = { HTTP_PORT: '1', GRPC_PORT: '2', ALLOW_SERVICE_ACCOUNT: 'x', HOST: '127.0.0.9' };
    expect(parseArgs(['-http', '18000', '--grpc=19000', '-allow_service_account', 'sleep'], env)).toEqual({ httpPort: 18000, grpcPort: 19000, allowServiceAccount: 'sleep', host: '127.0.0.9' });
    expect(parseArgs([], env)).toEqual({ httpPort: 1, grpcPort: 2, allowServiceAccount: 'x', host: '127.0.0.9' });
  });

  it.each([[['-port', '1']], [['-http']], [['-http', 'x']], [['-grpc', '70000']], [['8000']]])('rejects %j', (argv) => {
    let thrown: unknown;
    try {
      parseArgs(argv);
    } catch (err) {
      thrown = err;
    }
    expect(isTrellisError(thrown) && thrown.code === 'INVALID_ARGUMENT').toBe(true);
  });
});
