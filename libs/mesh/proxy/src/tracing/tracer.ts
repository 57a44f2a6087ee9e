import type { Exchange } from '../http/exchange';
import { isInternalRequest } from '../http/forwarded-proto';
import type { HeaderMap } from '../routing/header-mutation';
import { ActiveSpan, INJECT_B3, INJECT_B3_SINGLE, INJECT_W3C } from './active-span';
import { randomId64 } from './ids';
import { extractContext, incomingSampled, injectB3, injectB3Single, injectTraceparent } from './propagation';
import { decideTrace, traceReasonOf, withTraceReason } from './sampling';
import { finalizeTags } from './span-tags';
import { TagList } from './tag-list';
import type { TracingConfig } from './tracing-config';

/**
 * The HTTP connection manager's tracing, per request (Envoy's ActiveStream::traceRequest and the
 * span's finalisation): the decision, then — only for a sampled request — one span: CLIENT on an
 * OUTBOUND listener (Envoy's egress: sidecar outbound, gateway), SERVER otherwise (inbound), a child
 * of the caller's span (Istio sets shared_span_context false), named by the route's decorator (an
 * inbound request's x-envoy-decorator-operation overrides it), else the host (Zipkin) or
 * `ingress`/`egress <host>` (OpenTelemetry). A request that is not sampled allocates nothing.
 */
export function startTrace(ex: Exchange, t: TracingConfig): void {
  const h = ex.headers;
  const rid = ex.requestId;
  if (rid !== undefined) {
    const internal = h['x-envoy-force-trace'] !== undefined && (!ex.target.hcm.useRemoteAddress || isInternalRequest(ex));
    const reason = decideTrace(rid, h, t.rates, ex.ctx.runtime.random, internal);
    if (reason !== traceReasonOf(rid)) ex.requestId = withTraceReason(rid, reason);
    if (!(incomingSampled(h, t.w3cFirst) ?? reason !== 'none')) return;
  } else if (incomingSampled(h, t.w3cFirst) !== true) return;
  const parent = extractContext(h, t.w3cFirst);
  if (parent === null) return; // malformed context: Envoy's NullSpan
  const id = randomId64();
  const traceId = parent !== undefined ? parent.traceId : t.traceId128 ? randomId64() + id : id;
  const egress = ex.target.listener.direction === 'OUTBOUND';
  const state = h['tracestate'];
  ex.span = new ActiveSpan(t, spanName(ex, t, egress), egress ? 'CLIENT' : 'SERVER', traceId, id, parent?.spanId, ex.startMs * 1000, typeof state === 'string' ? state : undefined, injectFormats(ex, t));
}

function spanName(ex: Exchange, t: TracingConfig, egress: boolean): string {
  if (!egress) {
    const op = ex.headers['x-envoy-decorator-operation'];
    if (typeof op === 'string' && op !== '') return op;
  }
  if (ex.route.operation !== undefined) return ex.route.operation;
  if (t.driver === 'zipkin') return ex.hostHeader;
  return egress ? `egress ${ex.hostHeader}` : 'ingress';
}

/** The tracer's own format, plus whichever other format the caller used (so none goes on stale). */
function injectFormats(ex: Exchange, t: TracingConfig): number {
  const h = ex.headers;
  let f = t.driver === 'zipkin' ? INJECT_B3 : INJECT_W3C;
  if (h['x-b3-traceid'] !== undefined) f |= INJECT_B3;
  if (h['b3'] !== undefined) f |= INJECT_B3_SINGLE;
  if (h['traceparent'] !== undefined) f |= INJECT_W3C;
  return f;
}

/**
 * Upstream request headers: the span's context; for a request that is not sampled, Zipkin's
 * `x-b3-sampled: 0` when the caller sent no sampling state, so the next hops agree.
 */
export function injectTrace(ex: Exchange, t: TracingConfig, out: HeaderMap): void {
  const span = ex.span;
  if (span === undefined) {
    if (t.driver === 'zipkin' && out['x-b3-sampled'] === undefined && out['b3'] === undefined) out['x-b3-sampled'] = '0';
    return;
  }
  if ((span.inject & INJECT_B3) !== 0) injectB3(out, span);
  if ((span.inject & INJECT_B3_SINGLE) !== 0) injectB3Single(out, span);
  if ((span.inject & INJECT_W3C) !== 0) injectTraceparent(out, span);
}

/** One list for every span: finishing is synchronous and the reporter serialises the tags at once. */
const scratchTags = new TagList();

/** Ends the request's span (if any): duration, Envoy's tags, handed to the reporter. */
export function finishTrace(ex: Exchange, span: ActiveSpan, status: number): void {
  const t = span.config;
  span.durationUs = (ex.ctx.runtime.clock.monotonic() - ex.startHr) * 1000;
  finalizeTags(ex, t, status, scratchTags);
  t.sink.report(span, scratchTags);
}
