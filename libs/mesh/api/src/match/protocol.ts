import type { ServiceProtocol } from '../types/registry';

/*
 * Istio's protocol selection for a Service port (istio.io "Protocol Selection"): `appProtocol`
 * first, else the port name (`<protocol>[-<suffix>]`); anything else is detected from the first bytes
 * (`AUTO`: HTTP/1.x and h2c by the http_inspector, the rest as TCP) — except the well-known
 * server-first ports SMTP 25, DNS 53, MySQL 3306 and MongoDB 27017, which Istio treats as TCP, since
 * their clients wait for the server to speak and sniffing would only delay them.
 */

const NAMES: Readonly<Record<string, ServiceProtocol>> = {
  http: 'HTTP',
  http2: 'HTTP2',
  grpc: 'GRPC',
  'grpc-web': 'HTTP',
  https: 'HTTPS',
  tls: 'TLS',
  tcp: 'TCP',
  mongo: 'TCP',
  mysql: 'TCP',
  redis: 'TCP',
  'kubernetes.io/h2c': 'HTTP2',
  'kubernetes.io/ws': 'HTTP',
  'kubernetes.io/wss': 'HTTPS',
};

/** Ports Istio never sniffs when their protocol is not declared. */
export const SERVER_FIRST_PORTS: ReadonlySet<number> = new Set([25, 53, 3306, 27017]);

export interface PortProtocolInput {
  readonly name?: string | undefined;
  readonly appProtocol?: string | undefined;
  readonly port: number;
}

export function selectProtocol(p: PortProtocolInput): ServiceProtocol {
  const byApp = p.appProtocol === undefined ? undefined : NAMES[p.appProtocol.toLowerCase()];
  if (byApp !== undefined) return byApp;
  const name = (p.name ?? '').toLowerCase();
  const byName = NAMES[name] ?? NAMES[name.split('-')[0] ?? ''];
  if (byName !== undefined) return byName;
  return SERVER_FIRST_PORTS.has(p.port) ? 'TCP' : 'AUTO';
}
