import type { ChainConfig } from './listener-config';

/**
 * Envoy's `filter_chain_match.server_names` for TCP chains: an exact name first, then the longest
 * wildcard suffix (`*.example.com` matches `a.example.com`, not `example.com`), then a chain that
 * names no server. No SNI (not TLS, or a hello without one) can only take that last kind.
 */
export function chainForServerName(chains: readonly ChainConfig[], sni: string | undefined): ChainConfig | undefined {
  const name = sni?.toLowerCase();
  let wildcard: ChainConfig | undefined;
  let wildcardLength = -1;
  for (const c of chains) {
    if (c.tcp === undefined || c.serverNames === undefined || name === undefined) continue;
    for (const n of c.serverNames) {
      if (n === name) return c;
      if (n.startsWith('*.') && name.endsWith(n.slice(1)) && name.length > n.length - 1 && n.length > wildcardLength) {
        wildcard = c;
        wildcardLength = n.length;
      }
    }
  }
  return wildcard ?? chains.find((c) => c.tcp !== undefined && c.serverNames === undefined);
}
