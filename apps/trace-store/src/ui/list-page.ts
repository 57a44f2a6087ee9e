/** `/zipkin/`: the search form and the matching traces, newest first. */
import type { Span } from '../model/span';
import { escapeHtml, formatDuration, formatTime, page, serviceBadge } from './html';
import { summarize } from './tree';

export interface SearchForm {
  readonly serviceName: string;
  readonly spanName: string;
  readonly minDuration: string;
  readonly limit: string;
  readonly lookback: string;
}

export interface ListPageInput {
  readonly form: SearchForm;
  readonly services: readonly string[];
  readonly spanNames: readonly string[];
  readonly traces: readonly Span[][];
  readonly error?: string;
}

const LOOKBACKS: readonly (readonly [string, string])[] = [
  ['900000', 'last 15 minutes'],
  ['3600000', 'last hour'],
  ['21600000', 'last 6 hours'],
  ['86400000', 'last day'],
  ['604800000', 'last 7 days'],
];

function options(values: readonly (readonly [string, string])[], selected: string): string {
  return values.map(([v, label]) => `<option value="${escapeHtml(v)}"${v === selected ? ' selected' : ''}>${escapeHtml(label)}</option>`).join('');
}

function searchForm(input: ListPageInput): string {
  const f = input.form;
  const services: [string, string][] = [['', 'all'], ...input.services.map((s): [string, string] => [s, s])];
  const names = input.spanNames.map((n) => `<option value="${escapeHtml(n)}"></option>`).join('');
  return `<form class="search" method="get" action="/zipkin/" role="search" aria-label="Find traces">
<label>Service<select name="serviceName">${options(services, f.serviceName)}</select></label>
<label>Span name<input name="spanName" list="span-names" value="${escapeHtml(f.spanName)}" placeholder="all"><datalist id="span-names">${names}</datalist></label>
<label>Min duration (µs)<input name="minDuration" inputmode="numeric" size="8" value="${escapeHtml(f.minDuration)}"></label>
<label>Limit<input name="limit" inputmode="numeric" size="4" value="${escapeHtml(f.limit)}"></label>
<label>Lookback<select name="lookback">${options(LOOKBACKS, f.lookback)}</select></label>
<button type="submit">Find traces</button>
</form>`;
}

function traceRow(spans: Span[]): string {
  const t = summarize(spans);
  const services = [...t.services].map(([name, n]) => `${serviceBadge(name)}<span class="muted">×${n}</span>`).join(' ');
  const errors = t.errors > 0 ? ` <span class="error" title="spans with an error tag">${t.errors} error${t.errors > 1 ? 's' : ''}</span>` : '';
  return `<tr class="trace-row" data-trace-id="${escapeHtml(t.traceId)}">
<td><a href="/zipkin/traces/${escapeHtml(t.traceId)}">${escapeHtml(t.rootName)}</a>${errors}<div class="muted"><code>${escapeHtml(t.traceId)}</code></div></td>
<td>${services}</td><td class="num">${t.spanCount}</td><td class="num">${formatDuration(t.duration)}</td><td>${formatTime(t.start)}</td></tr>`;
}

function results(input: ListPageInput): string {
  if (input.error !== undefined) return `<p class="error" role="alert">${escapeHtml(input.error)}</p>`;
  if (input.traces.length === 0) return '<p class="muted" role="status">No traces match. Send spans to <code>POST /api/v2/spans</code> or <code>POST /v1/traces</code>.</p>';
  return `<table class="traces"><caption class="muted">${input.traces.length} trace${input.traces.length > 1 ? 's' : ''}, newest first</caption>
<thead><tr><th scope="col">Root span</th><th scope="col">Services (spans)</th><th scope="col" class="num">Spans</th><th scope="col" class="num">Duration</th><th scope="col">Start</th></tr></thead>
<tbody>${input.traces.map(traceRow).join('\n')}</tbody></table>`;
}

export function renderListPage(input: ListPageInput): string {
  return page('Find traces', `<h1>Find traces</h1>\n${searchForm(input)}\n${results(input)}`);
}
