/**
 * What a Prometheus does to every proxy while the rows run (`--scrape-interval <s>`, default 2 s as
 * local mode's Prometheus; 0 = off): GET :15090/stats/prometheus on each proxy, body read and thrown
 * away. The RSS the rows report then includes the scrape path's memory, as in `npm start`.
 */
export interface ScrapeLoop {
  /** Stops the loop after the scrapes in flight; the counts so far. */
  stop(): Promise<string>;
}

interface Counts {
  scrapes: number;
  failures: number;
  lastBytes: number;
}

async function scrapeOnce(url: string, c: Counts): Promise<void> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    const body = await res.arrayBuffer();
    if (res.status !== 200) c.failures++;
    else c.scrapes++;
    c.lastBytes = body.byteLength;
  } catch {
    c.failures++;
  }
}

export function startScrapeLoop(hosts: readonly string[], intervalMs: number): ScrapeLoop {
  const counts = new Map<string, Counts>(hosts.map((h) => [h, { scrapes: 0, failures: 0, lastBytes: 0 }]));
  let inFlight: Promise<unknown> = Promise.resolve();
  const tick = (): void => {
    inFlight = Promise.all([...counts].map(([host, c]) => scrapeOnce(`http://${host}:15090/stats/prometheus`, c)));
  };
  const timer = intervalMs > 0 ? setInterval(tick, intervalMs) : undefined;
  return {
    async stop(): Promise<string> {
      if (timer === undefined) return 'no scraping (--scrape-interval 0)';
      clearInterval(timer);
      await inFlight;
      const per = [...counts].map(([h, c]) => `${h} ${c.scrapes} ok/${c.failures} failed, last ${c.lastBytes} B`);
      return `scraped :15090/stats/prometheus every ${intervalMs / 1000} s: ${per.join('; ')}`;
    },
  };
}
