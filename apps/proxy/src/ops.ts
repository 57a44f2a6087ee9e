import { type HostPort, type Proxy, appScrapeTarget } from '@trellis/mesh-proxy';
import type { ProxyConfig } from './config';

export interface OpsAddresses {
  readonly admin: HostPort;
  readonly health: HostPort;
  readonly prometheus: HostPort;
  /** pilot-agent's status port 15020: merged /stats/prometheus. */
  readonly status: HostPort;
}

type OpsStarter = Pick<Proxy, 'startAdmin' | 'startHealth' | 'startPrometheus' | 'startStatus'>;

/**
 * Admin (15000), health (15021), Prometheus (15090) and the status port (15020), bound as
 * `config.opsBind` says (15020 beside health). As pilot-agent, only a sidecar merges the app's own
 * metrics (ISTIO_PROMETHEUS_ANNOTATIONS; a bad value stops the start, PROMETHEUS_SCRAPE_CONFIG_INVALID);
 * a gateway's 15020 serves the agent's and the proxy's.
 */
export async function startOps(proxy: OpsStarter, c: ProxyConfig): Promise<OpsAddresses> {
  const app = c.mode === 'sidecar' ? appScrapeTarget(c.prometheusAnnotations, c.agentPort, c.appEndpoints) : undefined;
  const admin = await proxy.startAdmin({ host: c.adminHost, port: c.adminPort });
  const health = await proxy.startHealth({ host: c.statusHost, port: c.statusPort });
  const prometheus = await proxy.startPrometheus({ host: c.prometheusHost, port: c.prometheusPort });
  const status = await proxy.startStatus({ host: c.statusHost, port: c.agentPort }, { app });
  return { admin, health, prometheus, status };
}
