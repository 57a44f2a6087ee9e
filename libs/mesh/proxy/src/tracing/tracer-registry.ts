import type { ProxyContext } from '../proxy-context';
import { type CollectorTarget, DEFAULT_FLUSH_POLICY, type FlushPolicy, SpanReporter } from './reporter';
import type { SinkFactory, SpanSink } from './tracing-config';

/**
 * The proxy's span reporters, one per collector (driver, cluster, path, host): every HCM tracing to
 * the same collector shares one buffer and one flush timer, and the reporter outlives LDS updates as
 * Envoy's tracer driver does. Closed with the proxy.
 */
export class TracerRegistry {
  private readonly reporters = new Map<string, SpanReporter>();

  constructor(
    private readonly ctx: ProxyContext,
    private readonly policy: FlushPolicy = DEFAULT_FLUSH_POLICY,
  ) {}

  readonly sink: SinkFactory = (target: CollectorTarget): SpanSink => {
    const key = `${target.driver}\u0000${target.cluster}\u0000${target.path}\u0000${target.host}\u0000${target.timeoutMs}\u0000${target.serviceName ?? ''}`;
    let r = this.reporters.get(key);
    if (r === undefined) this.reporters.set(key, (r = new SpanReporter(target, this.ctx, this.policy)));
    return r;
  };

  close(): void {
    for (const r of this.reporters.values()) r.close();
  }
}

/** Spans of a config compiled without a proxy (unit tests of compilers): dropped. */
export const DISCARD_SPANS: SinkFactory = () => ({ report: () => undefined });
