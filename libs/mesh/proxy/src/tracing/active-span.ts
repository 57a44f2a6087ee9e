import type { SpanRecord } from './span-context';
import type { OutgoingSpan } from './propagation';
import type { TracingConfig } from './tracing-config';

/**
 * The one object a sampled request allocates for tracing: its ids while it runs (what goes upstream),
 * then, when it finishes, its duration. Its tags go straight into the reporter's batch (tag-list.ts).
 */
export class ActiveSpan implements SpanRecord, OutgoingSpan {
  durationUs = 0;

  constructor(
    /** The HCM tracing config the span started under (its tags and reporter). */
    readonly config: TracingConfig,
    public name: string,
    readonly kind: 'CLIENT' | 'SERVER',
    readonly traceId: string,
    readonly id: string,
    readonly parentId: string | undefined,
    readonly timestampUs: number,
    readonly traceState: string | undefined,
    /** Which formats to write upstream: B3 multi, single `b3`, W3C traceparent. */
    readonly inject: number,
  ) {}
}

export const INJECT_B3 = 1;
export const INJECT_B3_SINGLE = 2;
export const INJECT_W3C = 4;
