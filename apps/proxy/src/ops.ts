import type { HostPort, Proxy } from '@trellis/mesh-proxy';
import type { ProxyConfig } from './config';

export interface OpsAddresses {
  readonly admin: HostPort;
  readonly health: HostPort;
  readonly prometheus: HostPort;
}

type OpsStarter = Pick<Proxy, 'startAdmin' | 'startHealth' | 'startPrometheus'>;

/** Admin (15000), health (15021) and Prometheus (15090), bound as `config.opsBind` says. */
export async function startOps(proxy: OpsStarter, c: ProxyConfig): Promise<OpsAddresses> {
  const admin = await proxy.startAdmin({ host: c.adminHost, port: c.adminPort });
  const health = await proxy.startHealth({ host: c.statusHost, port: c.statusPort });
  const prometheus = await proxy.startPrometheus({ host: c.prometheusHost, port: c.prometheusPort });
  return { admin, health, prometheus };
}
