import type { DomainConfig, RateLimit } from './config';

export interface Entry {
  readonly key: string;
  readonly value: string;
}

/**
 * The limit of one request descriptor, as envoyproxy/ratelimit's GetLimit: walk the domain's tree entry
 * by entry, at each level `key_value` first, then `key` (any value); the node reached by the last entry
 * gives the limit. A descriptor that leaves the tree, or ends on a node without a limit, has none.
 */
export function limitFor(config: DomainConfig | undefined, entries: readonly Entry[]): RateLimit | undefined {
  if (config === undefined || entries.length === 0) return undefined;
  let level = config.root;
  let limit: RateLimit | undefined;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as Entry;
    const node = level.get(`${e.key}_${e.value}`) ?? level.get(e.key);
    if (node === undefined) return undefined;
    limit = i === entries.length - 1 ? node.limit : undefined;
    level = node.children;
  }
  return limit;
}
