import type { TLSSocket } from 'node:tls';
import type { Exchange } from '../http/exchange';
import { downstreamTlsOf } from '../tls/peer-identity';
import type { LogRecord } from './log-record';

const addr = (ip: string | undefined, port: number | undefined): string => (ip === undefined || ip === '' ? '' : `${ip}:${port ?? 0}`);

/** One finished HTTP request as the access log reads it; built only when some access log is on. */
export class ExchangeLogRecord implements LogRecord {
  readonly durationMs: number;

  constructor(private readonly ex: Exchange) {
    this.durationMs = Math.round(ex.ctx.runtime.clock.monotonic() - ex.startHr);
  }

  get startMs(): number { return this.ex.startMs; }
  get protocol(): string { return this.ex.http2 ? 'HTTP/2' : `HTTP/${this.ex.req.httpVersion}`; }
  get responseCode(): number { return this.ex.status; }
  get responseFlags(): string { return this.ex.flags; }
  get responseCodeDetails(): string { return this.ex.details; }
  get connectionTerminationDetails(): string { return ''; }
  get upstreamTransportFailureReason(): string { return ''; }
  get bytesReceived(): number { return Number(this.ex.headers['content-length'] ?? 0); }
  get bytesSent(): number { return this.ex.bytesSent; }
  get upstreamHost(): string { return this.ex.host?.address ?? ''; }
  get upstreamCluster(): string { return this.ex.cluster?.name ?? ''; }
  get upstreamLocalAddress(): string { return ''; }
  get downstreamLocalAddress(): string { const s = this.ex.req.socket; return addr(s.localAddress, s.localPort); }
  get downstreamRemoteAddress(): string { return addr(this.ex.remoteAddress, this.ex.req.socket.remotePort); }
  get requestedServerName(): string { const n = (this.ex.req.socket as Partial<TLSSocket>).servername; return typeof n === 'string' ? n : ''; }
  get routeName(): string { return this.ex.route.name ?? ''; }
  get mtls(): boolean { return downstreamTlsOf(this.ex.req.socket)?.peerCertificate !== undefined; }

  requestHeader(name: string): string | undefined {
    const ex = this.ex;
    switch (name) {
      case ':method': return ex.method;
      case ':path': return ex.path;
      case ':authority': return ex.authority === '' ? ex.hostHeader : ex.authority;
      case ':scheme': return downstreamTlsOf(ex.req.socket) === undefined ? 'http' : 'https';
      case 'x-request-id': return ex.requestId ?? first(ex.headers[name]);
      default: return first(ex.headers[name]);
    }
  }

  responseHeader(name: string): string | undefined {
    if (name === 'x-envoy-upstream-service-time') return this.ex.upstreamServiceTime === '' ? undefined : this.ex.upstreamServiceTime;
    return undefined;
  }
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(',') : v;
}
