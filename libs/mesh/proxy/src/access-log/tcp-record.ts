import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { downstreamTlsOf } from '../tls/peer-identity';
import type { LogRecord } from './log-record';

const addr = (ip: string | undefined, port: number | undefined): string => (ip === undefined || ip === '' ? '' : `${ip}:${port ?? 0}`);

/** What a tcp_proxy connection tells its access log when it closes (no HTTP: code 0, headers `-`). */
export interface TcpLogFacts {
  readonly startMs: number;
  readonly durationMs: number;
  readonly bytesReceived: number;
  readonly bytesSent: number;
  readonly responseFlags: string;
  readonly upstreamHost: string;
  readonly upstreamCluster: string;
  readonly upstreamLocalAddress: string;
  readonly routeName: string;
  /** Taken when the connection was accepted (a closed socket forgets its addresses). */
  readonly downstreamLocalAddress: string;
  readonly downstreamRemoteAddress: string;
  readonly requestedServerName: string;
}

/** The downstream side's addresses and SNI, read while the socket is open. */
export function downstreamFacts(downstream: Socket): Pick<TcpLogFacts, 'downstreamLocalAddress' | 'downstreamRemoteAddress' | 'requestedServerName'> {
  const servername = (downstream as Partial<TLSSocket>).servername;
  return {
    downstreamLocalAddress: addr(downstream.localAddress, downstream.localPort),
    downstreamRemoteAddress: addr(downstream.remoteAddress, downstream.remotePort),
    requestedServerName: typeof servername === 'string' ? servername : '',
  };
}

/** A tcp_proxy connection's access-log record (connection-level fields). */
export function tcpLogRecord(downstream: Socket, f: TcpLogFacts): LogRecord {
  return {
    ...f,
    protocol: '',
    responseCode: 0,
    responseCodeDetails: '',
    connectionTerminationDetails: '',
    upstreamTransportFailureReason: '',
    mtls: downstreamTlsOf(downstream)?.peerCertificate !== undefined,
    requestHeader: () => undefined,
    responseHeader: () => undefined,
  };
}
