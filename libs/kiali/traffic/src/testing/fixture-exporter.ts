import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RateRow } from './rate-table';

const text = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');

/** Exposition text where every row is a counter growing at `rate` per second since `t0`. */
export function exposition(rows: readonly RateRow[], elapsedSeconds: number): string {
  return rows.map((r) => `${r.metric}{${text(r.labels)}} ${r.rate * elapsedSeconds}\n`).join('');
}

export interface FixtureExporter {
  /** `host:port` */
  address: string;
  port: number;
  scrapes: number;
  close(): Promise<void>;
}

/** A real HTTP exporter on 127.0.0.1:0 serving `path` (default Envoy's `/stats/prometheus`). */
export async function startExporter(rows: readonly RateRow[], path = '/stats/prometheus', host = '127.0.0.1', port = 0): Promise<FixtureExporter> {
  const t0 = Date.now();
  const state = { scrapes: 0 };
  const server: Server = createServer((req, res) => {
    if (req.url !== path) return void res.writeHead(404).end();
    state.scrapes++;
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(exposition(rows, (Date.now() - t0) / 1000));
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    address: `${host}:${actual}`,
    port: actual,
    get scrapes() {
      return state.scrapes;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
