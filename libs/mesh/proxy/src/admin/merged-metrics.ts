import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from '@trellis/shared';
import { type AppScrapeOptions, DEFAULT_APP_SCRAPE, scrapeApp } from '../stats/merged-scrape';
import type { AppScrapeTarget } from '../stats/merged-target';
import { endingWithNewline } from '../stats/text-chunks';

/**
 * pilot-agent's merged /stats/prometheus on its status port 15020 (status/server.go handleStats): the
 * agent's own metrics, then the proxy's (what 15090 serves), then the application's, scraped per
 * request from ISTIO_PROMETHEUS_ANNOTATIONS' target — a plain concatenation in Prometheus text, the
 * app last (an OpenMetrics body ends with `# EOF`). An app that fails, answers non-200 or times out
 * leaves the proxy's metrics alone in the answer and counts
 * istio_agent_scrape_failures_total{type="application"}; the answer is 200 either way.
 */

/** Prometheus' text format as pilot-agent answers it when the app's format is not OpenMetrics. */
export const PROMETHEUS_TEXT = 'text/plain; version=0.0.4; charset=utf-8';

type ScrapeType = 'envoy' | 'application' | 'agent';

/** pilot/cmd/pilot-agent/metrics: istio_agent_scrapes_total and istio_agent_scrape_failures_total{type}. */
export class AgentScrapeMetrics {
  scrapes = 0;
  readonly failures: Record<ScrapeType, number> = { envoy: 0, application: 0, agent: 0 };

  /** Families sorted by name, as the agent's registry gathers them; a failure series once it counted. */
  render(): string {
    let out = '';
    const failed = (Object.keys(this.failures) as ScrapeType[]).filter((t) => this.failures[t] > 0);
    if (failed.length > 0) {
      out += '# HELP istio_agent_scrape_failures_total The total number of failed scrapes.\n# TYPE istio_agent_scrape_failures_total counter\n';
      for (const t of failed) out += `istio_agent_scrape_failures_total{type="${t}"} ${this.failures[t]}\n`;
    }
    out += `# HELP istio_agent_scrapes_total The total number of scrapes.\n# TYPE istio_agent_scrapes_total counter\nistio_agent_scrapes_total ${this.scrapes}\n`;
    return out;
  }
}

export interface MergedMetricsSource {
  /** The proxy's exposition (15090's /stats/prometheus), numbers copied at the call, text made as the chunks are pulled. */
  renderProxy(): Iterable<Buffer>;
  /** The application's endpoint; undefined = none (gateways, no annotations, `scrape: "false"`). */
  readonly app: AppScrapeTarget | undefined;
  readonly agent: AgentScrapeMetrics;
  readonly logger: Logger;
  readonly scrape?: AppScrapeOptions;
}

/** The status port's options (Proxy.startStatus). */
export interface StatusOptions {
  /** The application's metrics endpoint (appScrapeTarget of ISTIO_PROMETHEUS_ANNOTATIONS); none = proxy + agent only. */
  readonly app?: AppScrapeTarget | undefined;
  readonly scrape?: AppScrapeOptions;
}

export interface MergedReply {
  readonly contentType: string;
  /** The body in order: agent, proxy, app — streamed by the caller. */
  readonly chunks: Iterable<Buffer | string>;
}

const withNewline = (s: string): string => (s === '' || s.endsWith('\n') ? s : `${s}\n`);

function* merged(agent: string, proxy: Iterable<Buffer>, app: string): Generator<Buffer | string, void, undefined> {
  yield agent;
  yield* endingWithNewline(proxy);
  if (app !== '') yield app;
}

/** The app's Content-Type when it is OpenMetrics (negotiateMetricsFormat), else Prometheus text. */
function formatOf(contentType: string): string {
  return contentType.trim().toLowerCase().startsWith('application/openmetrics-text') ? contentType : PROMETHEUS_TEXT;
}

export async function mergedMetrics(src: MergedMetricsSource, headers: IncomingHttpHeaders): Promise<MergedReply> {
  src.agent.scrapes++;
  let proxy: Iterable<Buffer> = [];
  try {
    proxy = src.renderProxy();
  } catch (err) {
    src.logger.error({ err }, 'failed scraping envoy metrics');
    src.agent.failures.envoy++;
  }
  let app = '';
  let contentType = PROMETHEUS_TEXT;
  if (src.app !== undefined) {
    const r = await scrapeApp(src.app, headers, src.scrape ?? DEFAULT_APP_SCRAPE);
    if (r.ok) {
      app = withNewline(r.body);
      contentType = formatOf(r.contentType);
    } else {
      src.logger.error({ reason: r.reason }, 'failed scraping application metrics');
      src.agent.failures.application++;
    }
  }
  return { contentType, chunks: merged(src.agent.render(), proxy, app) };
}
