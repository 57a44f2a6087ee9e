/** `/zipkin/traces/{id}`: one trace as a waterfall; each span's details open in place (no script needed). */
import type { Endpoint, Span } from '../model/span';
import { escapeHtml, formatDuration, formatTime, page, serviceBadge, serviceHue } from './html';
import { summarize, waterfall, type WaterfallRow } from './tree';

function endpointText(e: Endpoint | undefined): string | undefined {
  if (e === undefined) return undefined;
  const address = e.ipv4 ?? (e.ipv6 !== undefined ? `[${e.ipv6}]` : undefined);
  const where = address !== undefined ? `${address}${e.port !== undefined ? `:${e.port}` : ''}` : '';
  return [e.serviceName, where].filter((s) => s !== undefined && s !== '').join(' ');
}

function details(span: Span): string {
  const facts: [string, string | undefined][] = [
    ['span id', span.id],
    ['parent id', span.parentId],
    ['kind', span.kind],
    ['shared', span.shared === true ? 'true' : undefined],
    ['start', formatTime(span.timestamp)],
    ['local', endpointText(span.localEndpoint)],
    ['remote', endpointText(span.remoteEndpoint)],
    ...(span.annotations ?? []).map((a): [string, string] => [`@${formatTime(a.timestamp)}`, a.value]),
    ...Object.entries(span.tags ?? {}).sort(([a], [b]) => a.localeCompare(b)),
  ];
  const shown = facts.filter((f): f is [string, string] => f[1] !== undefined);
  return `<dl class="tags">${shown.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function row(r: WaterfallRow): string {
  const s = r.span;
  const service = s.localEndpoint?.serviceName ?? 'unknown';
  const name = s.name ?? 'unknown';
  const error = s.tags?.['error'] !== undefined;
  const label = `${service} ${name}: ${formatDuration(s.duration)}`;
  const bar = `<div class="bar${error ? ' error' : ''}" style="left: ${r.offsetPct.toFixed(3)}%; width: ${r.widthPct.toFixed(3)}%; background: hsl(${serviceHue(service)} 60% 55%)" role="img" aria-label="${escapeHtml(label)}"></div>`;
  return `<tr class="span-row" data-span-id="${escapeHtml(s.id)}" data-depth="${r.depth}">
<td class="name"><details style="margin-left: ${r.depth * 1.1}rem"><summary>${serviceBadge(service)} <span class="span-name">${escapeHtml(name)}</span>${error ? ' <span class="error">error</span>' : ''}</summary>${details(s)}</details></td>
<td><div class="track">${bar}</div></td><td class="num">${formatDuration(s.duration)}</td></tr>`;
}

export function renderTracePage(spans: readonly Span[]): string {
  const t = summarize(spans);
  const services = [...t.services.keys()].map(serviceBadge).join(' ');
  const body = `<h1>${escapeHtml(t.rootName)}</h1>
<p class="summary"><span>Trace <code>${escapeHtml(t.traceId)}</code></span><span>Duration ${formatDuration(t.duration)}</span><span>${t.spanCount} spans</span><span>Started ${formatTime(t.start)}</span><span>${services}</span></p>
<p><a href="/api/v2/trace/${escapeHtml(t.traceId)}">JSON</a> · <a href="/zipkin/">back to search</a></p>
<table class="waterfall" aria-label="Spans of trace ${escapeHtml(t.traceId)}">
<thead><tr><th scope="col">Service and span (select to see tags)</th><th scope="col">Timeline (0 – ${formatDuration(t.duration)})</th><th scope="col" class="num">Duration</th></tr></thead>
<tbody>${waterfall(spans).map(row).join('\n')}</tbody></table>`;
  return page(`Trace ${t.traceId}`, body);
}

export function renderNotFound(traceId: string): string {
  return page('Trace not found', `<h1>Trace not found</h1><p class="error" role="alert">No trace <code>${escapeHtml(traceId)}</code> in this store (it may have been evicted).</p><p><a href="/zipkin/">Back to search</a></p>`);
}
