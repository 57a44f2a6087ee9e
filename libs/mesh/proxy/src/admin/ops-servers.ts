import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { ConfigStore } from '../config/config-store';
import type { ProxyContext } from '../proxy-context';
import { configDump } from './config-dump';
import { memoryReport } from './memory';
import { ROUTE_EXPLAIN_PATH, routeExplainReply } from './route-endpoint';
import { certificatesDump } from '../sds/secrets-dump';
import { prometheusChunks, renderClusters, renderStatsText } from './stats-render';
import { writeChunks } from './stream-reply';
import { AgentScrapeMetrics, type MergedMetricsSource, type StatusOptions, mergedMetrics } from './merged-metrics';

export interface OpsDeps {
  readonly ctx: ProxyContext;
  readonly store: ConfigStore;
  isReady(): boolean;
  isDraining(): boolean;
  quit(): void;
  /** The status port (15020): the application its merged /stats/prometheus scrapes. */
  readonly status?: StatusOptions;
}

/** What the status port's handlers read besides OpsDeps: the merge's sources, built once per server. */
interface StatusDeps extends OpsDeps {
  readonly merged?: MergedMetricsSource;
}

export interface OpsServers {
  readonly address: { host: string; port: number };
  close(): Promise<void>;
}

interface Reply {
  readonly status: number;
  readonly type: string;
  readonly body: string;
  /** A streamed body (the Prometheus endpoints): written chunk by chunk instead of `body`. */
  readonly chunks?: Iterable<Buffer | string>;
}

type Handler = (deps: OpsDeps, url: URL, method: string, req: IncomingMessage) => Reply | Promise<Reply>;

const text = (body: string, status = 200): Reply => ({ status, type: 'text/plain; charset=UTF-8', body });
const prometheus = (d: OpsDeps): Reply => ({ status: 200, type: 'text/plain; charset=UTF-8', body: '', chunks: prometheusChunks(d.ctx) });
const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

function readyReply(d: OpsDeps): Reply {
  if (d.isDraining()) return text('DRAINING\n', 503);
  return d.isReady() ? text('LIVE\n') : text('PRE_INITIALIZING\n', 503);
}

function statsReply(d: OpsDeps, url: URL): Reply {
  if (url.searchParams.get('format') === 'prometheus') return prometheus(d);
  const filter = url.searchParams.get('filter');
  let re: RegExp | undefined;
  try {
    re = filter ? new RegExp(filter) : undefined;
  } catch {
    return text(`invalid regex: ${filter}\n`, 400);
  }
  return text(renderStatsText(d.ctx, re));
}

function loggingReply(d: OpsDeps, url: URL, method: string): Reply {
  if (method !== 'POST') return text('This endpoint requires POST\n', 405);
  const level = url.searchParams.get('level');
  if (level !== null) {
    if (!LEVELS.has(level)) return text(`unknown level ${level}\n`, 400);
    d.ctx.logger.level = level;
  }
  return text(`active loggers:\n  proxy: ${d.ctx.logger.level}\n`);
}

const ADMIN: Readonly<Record<string, Handler>> = {
  '/ready': (d) => readyReply(d),
  '/config_dump': (d) => ({ status: 200, type: 'application/json', body: JSON.stringify(configDump(d.store, d.ctx.secrets), null, 2) }),
  '/certs': (d) => ({ status: 200, type: 'application/json', body: JSON.stringify(certificatesDump(d.ctx.secrets, d.ctx.runtime.clock.now()), null, 2) }),
  '/clusters': (d) => text(renderClusters(d.ctx)),
  '/memory': () => ({ status: 200, type: 'application/json', body: JSON.stringify(memoryReport(), null, 2) }),
  '/stats': (d, url) => statsReply(d, url),
  '/stats/prometheus': (d) => prometheus(d),
  '/logging': (d, url, method) => loggingReply(d, url, method),
  [ROUTE_EXPLAIN_PATH]: (d, url, method) => routeExplainReply(d.ctx, d.store, url, method),
  '/quitquitquit': (d, _url, method) => {
    if (method !== 'POST') return text('This endpoint requires POST\n', 405);
    setImmediate(() => d.quit());
    return text('OK\n');
  },
};

const HEALTH: Readonly<Record<string, Handler>> = {
  '/healthz/ready': (d) => (d.isReady() && !d.isDraining() ? text('') : text('not ready\n', 503)),
};

const PROMETHEUS: Readonly<Record<string, Handler>> = {
  '/stats/prometheus': (d) => prometheus(d),
};

async function mergedReply(d: StatusDeps, req: IncomingMessage): Promise<Reply> {
  if (d.merged === undefined) return prometheus(d);
  const r = await mergedMetrics(d.merged, req.headers);
  return { status: 200, type: r.contentType, body: '', chunks: r.chunks };
}

/** pilot-agent's status port 15020: merged metrics (both paths, as Istio registers them) and readiness. */
const STATUS: Readonly<Record<string, Handler>> = {
  '/stats/prometheus': (d, _url, _method, req) => mergedReply(d, req),
  '/metrics': (d, _url, _method, req) => mergedReply(d, req),
  '/healthz/ready': HEALTH['/healthz/ready'] as Handler,
};

function mergedSource(deps: OpsDeps): MergedMetricsSource {
  const app = deps.status?.app;
  const scrape = deps.status?.scrape;
  return { renderProxy: () => prometheusChunks(deps.ctx), app, agent: new AgentScrapeMetrics(), logger: deps.ctx.logger, ...(scrape !== undefined && { scrape }) };
}

const TABLES = { admin: ADMIN, health: HEALTH, prometheus: PROMETHEUS, status: STATUS } as const;

function send(res: ServerResponse, reply: Reply): void {
  if (reply.chunks !== undefined) {
    res.writeHead(reply.status, { 'content-type': reply.type });
    void writeChunks(res, reply.chunks);
    return;
  }
  res.writeHead(reply.status, { 'content-type': reply.type, 'content-length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}

function handle(table: Readonly<Record<string, Handler>>, deps: OpsDeps, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://admin');
  const handler = table[url.pathname];
  const reply = handler ? handler(deps, url, req.method ?? 'GET', req) : text('invalid path\n', 404);
  if (reply instanceof Promise) reply.then((r) => send(res, r), (err: unknown) => send(res, text(`${String(err)}\n`, 500)));
  else send(res, reply);
}

/** Admin (15000), health (15021), Prometheus (15090) or status (15020): tiny node:http servers, off the data path. */
export function startOpsServer(
  kind: keyof typeof TABLES,
  at: { host: string; port: number },
  deps: OpsDeps,
): Promise<OpsServers> {
  const withStatus: StatusDeps = kind === 'status' ? { ...deps, merged: mergedSource(deps) } : deps;
  const server: Server = createServer((req, res) => handle(TABLES[kind], withStatus, req, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: at.host, port: at.port }, () => {
      server.off('error', reject);
      const addr = server.address();
      const port = addr !== null && typeof addr === 'object' ? addr.port : at.port;
      resolve({
        address: { host: at.host, port },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
