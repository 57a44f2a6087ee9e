import { request } from 'undici';
import { errorMessage, silentLogger } from '@trellis/shared';
import type { MetricsSource, PrometheusSourceOptions, Sample, Series } from '../inventory';

type PromValue = [number, string];
interface PromResponse {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric?: Record<string, string>; value?: PromValue; values?: PromValue[] }[] };
}

/** Prometheus' float encoding: `NaN`, `+Inf`, `-Inf` or a decimal. */
export function promFloat(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

/**
 * The real Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`, POSTed forms) via undici.
 * Every call is bounded by `timeoutMs`; an unreachable, slow or failing Prometheus yields `[]`
 * (Kiali's "no data"), logged at warn.
 */
export function prometheusSource(opts: PrometheusSourceOptions): MetricsSource {
  const base = opts.url.replace(/\/+$/, '');
  const timeoutMs = opts.timeoutMs ?? 5000;
  const log = opts.logger ?? silentLogger();

  async function call(path: string, form: Record<string, string>): Promise<PromResponse['data']> {
    try {
      const res = await request(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const body = (await res.body.json()) as PromResponse;
      if (body.status !== 'success') {
        log.warn({ path, status: res.statusCode, error: body.error, query: form['query'] }, 'prometheus query failed');
        return undefined;
      }
      return body.data;
    } catch (err) {
      log.warn({ path, url: base, err: errorMessage(err) }, 'prometheus unreachable');
      return undefined;
    }
  }

  return {
    name: `prometheus ${base}`,
    async query(promql: string, time: number): Promise<Sample[]> {
      const data = await call('/api/v1/query', { query: promql, time: String(time) });
      if (data?.resultType !== 'vector') return [];
      return data.result.map((r) => ({ metric: r.metric ?? {}, timestamp: Number(r.value?.[0] ?? time), value: promFloat(r.value?.[1] ?? 'NaN') }));
    },
    async queryRange(promql: string, start: number, end: number, step: number): Promise<Series[]> {
      const data = await call('/api/v1/query_range', { query: promql, start: String(start), end: String(end), step: String(step) });
      if (data?.resultType !== 'matrix') return [];
      return data.result.map((r) => ({ metric: r.metric ?? {}, values: (r.values ?? []).map(([t, v]): [number, number] => [Number(t), promFloat(v)]) }));
    },
  };
}
