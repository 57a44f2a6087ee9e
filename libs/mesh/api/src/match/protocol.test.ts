import { selectProtocol } from './protocol';

describe("Istio's protocol selection", () => {
  it.each([
    [{ name: 'http', port: 9080 }, 'HTTP'],
    [{ name: 'http-web', port: 80 }, 'HTTP'],
    [{ name: 'HTTP2', port: 80 }, 'HTTP2'],
    [{ name: 'grpc-web', port: 80 }, 'HTTP'],
    [{ name: 'grpc-api', port: 80 }, 'GRPC'],
    [{ name: 'https', port: 443 }, 'HTTPS'],
    [{ name: 'tls-passthrough', port: 443 }, 'TLS'],
    [{ name: 'tcp', port: 9000 }, 'TCP'],
    [{ name: 'mysql', port: 3306 }, 'TCP'],
    [{ name: 'redis-main', port: 6379 }, 'TCP'],
    [{ name: 'web', appProtocol: 'http', port: 80 }, 'HTTP'],
    [{ name: 'http', appProtocol: 'kubernetes.io/h2c', port: 80 }, 'HTTP2'],
    [{ name: 'http', appProtocol: 'unknown', port: 80 }, 'HTTP'],
    [{ name: 'web', port: 8000 }, 'AUTO'],
    [{ port: 8000 }, 'AUTO'],
    [{ name: 'db', port: 3306 }, 'TCP'],
    [{ port: 27017 }, 'TCP'],
    [{ name: 'smtp', port: 25 }, 'TCP'],
  ] as const)('%j → %s', (input, expected) => {
    expect(selectProtocol(input)).toBe(expected);
  });
});
