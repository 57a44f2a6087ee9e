import pino from 'pino';

/** Where access-log lines go; `write` must not block (pino's async destination, or a test sink). */
export interface AccessLogSink {
  write(line: string): unknown;
}

/** The facts of one finished request, in the order of Envoy's default TEXT format. */
export interface AccessLogEntry {
  readonly startMs: number;
  readonly method: string;
  readonly path: string;
  readonly protocol: string;
  readonly status: number;
  readonly flags: string;
  readonly details: string;
  readonly bytesReceived: number;
  readonly bytesSent: number;
  readonly durationMs: number;
  readonly upstreamServiceTime: string;
  readonly forwardedFor: string | undefined;
  readonly userAgent: string | undefined;
  readonly requestId: string | undefined;
  readonly authority: string;
  readonly upstreamHost: string | undefined;
  readonly upstreamCluster: string | undefined;
  readonly downstreamLocal: string;
  readonly downstreamRemote: string;
  readonly routeName: string | undefined;
}

const dash = (v: string | undefined): string => (v === undefined || v === '' ? '-' : v);

/** Envoy's default format (bookinfo-spec §5.12). */
export function formatAccessLog(e: AccessLogEntry): string {
  return (
    `[${new Date(e.startMs).toISOString()}] "${e.method} ${e.path} ${e.protocol}" ${e.status} ${dash(e.flags)} ` +
    `${dash(e.details)} - "-" ${e.bytesReceived} ${e.bytesSent} ${e.durationMs} ${dash(e.upstreamServiceTime)} ` +
    `"${dash(e.forwardedFor)}" "${dash(e.userAgent)}" "${dash(e.requestId)}" "${dash(e.authority)}" ` +
    `"${dash(e.upstreamHost)}" ${dash(e.upstreamCluster)} - ${e.downstreamLocal} ${e.downstreamRemote} - ${dash(e.routeName)}\n`
  );
}

export class AccessLogger {
  constructor(private readonly sink: AccessLogSink) {}

  static stdout(): AccessLogger {
    return new AccessLogger(pino.destination({ dest: 1, sync: false, minLength: 4096 }));
  }

  log(e: AccessLogEntry): void {
    this.sink.write(formatAccessLog(e));
  }

  flush(): void {
    const s = this.sink as { flushSync?: () => void };
    try {
      s.flushSync?.();
    } catch {
      // not ready yet; nothing buffered
    }
  }
}
