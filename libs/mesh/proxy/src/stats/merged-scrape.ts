import { type IncomingHttpHeaders, get } from 'node:http';
import type { AppScrapeTarget } from './merged-target';

/**
 * One scrape of the application's metrics for the merged endpoint (pilot-agent's `scrape`): a GET
 * with Prometheus' `Accept`, `User-Agent` and `X-Prometheus-Scrape-Timeout-Seconds` passed on, bounded
 * by that timeout (else `defaultTimeoutMs`) and by `maxBytes` (Istio: 10 MiB). Never throws: a failure
 * is a reason string (the caller logs it and counts istio_agent_scrape_failures_total{type="application"}).
 */
export type AppScrapeResult = { readonly ok: true; readonly body: string; readonly contentType: string } | { readonly ok: false; readonly reason: string };

export interface AppScrapeOptions {
  readonly defaultTimeoutMs: number;
  readonly maxBytes: number;
}

export const DEFAULT_APP_SCRAPE: AppScrapeOptions = { defaultTimeoutMs: 5000, maxBytes: 10 * 1024 * 1024 };

const PASSED_ON = ['accept', 'user-agent', 'x-prometheus-scrape-timeout-seconds'] as const;

/** Prometheus' timeout header ("1.234" seconds) in ms, or undefined when absent or malformed. */
export function scrapeTimeoutMs(header: string | string[] | undefined): number | undefined {
  if (typeof header !== 'string') return undefined;
  const s = Number(header);
  return Number.isFinite(s) && s > 0 ? Math.ceil(s * 1000) : undefined;
}

export function scrapeApp(target: AppScrapeTarget, incoming: IncomingHttpHeaders, o: AppScrapeOptions = DEFAULT_APP_SCRAPE): Promise<AppScrapeResult> {
  const headers: Record<string, string> = {};
  for (const key of PASSED_ON) {
    const v = incoming[key];
    if (typeof v === 'string' && v !== '') headers[key] = v;
  }
  const timeoutMs = scrapeTimeoutMs(incoming['x-prometheus-scrape-timeout-seconds']) ?? o.defaultTimeoutMs;
  const url = `http://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}${target.path}`;
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: AppScrapeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const req = get(url, { headers, agent: false }, (res) => {
      if (res.statusCode !== 200) return done({ ok: false, reason: `error scraping ${url}, status code: ${String(res.statusCode)}` });
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > o.maxBytes) done({ ok: false, reason: `response exceeds ${o.maxBytes} bytes; dropping target` });
        else chunks.push(c);
      });
      res.once('end', () => done({ ok: true, body: Buffer.concat(chunks).toString('utf8'), contentType: String(res.headers['content-type'] ?? '') }));
      res.once('error', (err) => done({ ok: false, reason: `error scraping ${url}: ${err.message}` }));
    });
    req.once('error', (err) => done({ ok: false, reason: `error scraping ${url}: ${err.message}` }));
    const timer = setTimeout(() => done({ ok: false, reason: `error scraping ${url}: timed out after ${timeoutMs} ms` }), timeoutMs);
  });
}
