import pino from 'pino';
import type { LogRecord } from '../access-log/log-record';
import { type Formatter, compileFormat } from '../access-log/format';

/** Where access-log lines go; `write` must not block (pino's async destination, or a test sink). */
export interface AccessLogSink {
  write(line: string): unknown;
}

/**
 * The proxy's default access log (`--access-log`, `createProxy({ accessLog })`): requests through an
 * HCM whose config asks for no access log are written here in Istio's default TEXT format. HCMs and
 * tcp_proxies with `access_log` (MeshConfig accessLogFile, the Telemetry API) use their own.
 */
export class AccessLogger {
  private readonly format: Formatter = compileFormat(undefined);

  constructor(private readonly sink: AccessLogSink) {}

  static stdout(): AccessLogger {
    return new AccessLogger(pino.destination({ dest: 1, sync: false }));
  }

  log(r: LogRecord): void {
    this.sink.write(this.format(r));
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
