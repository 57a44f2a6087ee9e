import type { ProxySecret, SecretProvider } from './secret-provider';

/**
 * One SecretProvider over two: secrets the control plane sends over ADS (a gateway's
 * `kubernetes://…`) and the workload agent's (`default`, `ROOTCA`). TLS contexts resolve any name the
 * same way; the ADS store answers first (its names never collide with the agent's).
 */
export function layeredSecretProvider(ads: SecretProvider, agent: SecretProvider | undefined): SecretProvider {
  if (agent === undefined) return ads;
  return {
    get: (name: string): ProxySecret | undefined => ads.get(name) ?? agent.get(name),
    list: (): readonly ProxySecret[] => [...agent.list(), ...ads.list()],
    onChange(listener: (name: string) => void): () => void {
      const offAds = ads.onChange(listener);
      const offAgent = agent.onChange(listener);
      return () => {
        offAds();
        offAgent();
      };
    },
  };
}
