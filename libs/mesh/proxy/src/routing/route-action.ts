import type { HashPolicy, RouteAction } from '../config/envoy-types';
import { checkDuration, compileRegex, fraction, invalid } from '../config/proto';
import { type EditPair, compileEdits } from './header-mutation';
import { type CompiledRetryPolicy, compileRetryPolicy } from './retry-policy';
import type { Random } from '../runtime';

export interface CompiledWeightedCluster {
  readonly name: string;
  readonly weight: number;
  readonly edits: EditPair;
}

export interface CompiledHashPolicy {
  readonly kind: 'header' | 'cookie' | 'source_ip' | 'query';
  readonly name: string;
  readonly terminal: boolean;
}

export interface CompiledMirror {
  readonly cluster: string;
  readonly probability: number;
}

/** A `route` action compiled: everything the forwarding layers need, no per-request parsing. */
export interface CompiledForward {
  readonly cluster: string | undefined;
  readonly weighted: readonly CompiledWeightedCluster[] | undefined;
  readonly totalWeight: number;
  /** 0 = no timeout. Envoy's default when unset is 15 s. */
  readonly timeoutMs: number;
  readonly prefixRewrite: string | undefined;
  readonly regexRewrite: { readonly re: RegExp; readonly substitution: string } | undefined;
  readonly hostRewrite: string | undefined;
  readonly retry: CompiledRetryPolicy | undefined;
  readonly mirrors: readonly CompiledMirror[];
  readonly hashPolicy: readonly CompiledHashPolicy[];
}

const DEFAULT_ROUTE_TIMEOUT_MS = 15_000;

function compileWeighted(resource: string, a: RouteAction): CompiledWeightedCluster[] {
  const clusters = a.weighted_clusters?.clusters ?? [];
  if (clusters.length === 0) throw invalid(resource, 'weighted_clusters without clusters');
  return clusters.map((c, i) => {
    if (typeof c.name !== 'string' || c.name === '') throw invalid(resource, `weighted cluster ${i} without name`);
    const weight = c.weight?.value;
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0) {
      throw invalid(resource, `weighted cluster ${c.name} without weight`);
    }
    return { name: c.name, weight, edits: compileEdits(`${resource} cluster ${c.name}`, c) };
  });
}

function compileHash(resource: string, h: HashPolicy): CompiledHashPolicy {
  const terminal = h.terminal === true;
  if (h.header?.header_name) return { kind: 'header', name: h.header.header_name.toLowerCase(), terminal };
  if (h.cookie?.name) return { kind: 'cookie', name: h.cookie.name, terminal };
  if (h.connection_properties?.source_ip === true) return { kind: 'source_ip', name: '', terminal };
  if (h.query_parameter?.name) return { kind: 'query', name: h.query_parameter.name, terminal };
  throw invalid(resource, 'hash_policy entry has no header/cookie/connection_properties/query_parameter');
}

export function compileForward(resource: string, a: RouteAction): CompiledForward {
  const weighted = a.weighted_clusters !== undefined ? compileWeighted(resource, a) : undefined;
  if (weighted === undefined && (typeof a.cluster !== 'string' || a.cluster === '')) {
    throw invalid(resource, 'route action needs cluster or weighted_clusters');
  }
  const totalWeight = weighted ? weighted.reduce((s, c) => s + c.weight, 0) : 0;
  if (weighted && totalWeight === 0) throw invalid(resource, 'weighted_clusters weights sum to 0');
  const rr = a.regex_rewrite;
  return {
    cluster: weighted ? undefined : a.cluster,
    weighted,
    totalWeight,
    timeoutMs: checkDuration(resource, 'timeout', a.timeout) ?? DEFAULT_ROUTE_TIMEOUT_MS,
    prefixRewrite: a.prefix_rewrite,
    regexRewrite: rr
      ? { re: compileRegex(resource, rr.pattern?.regex, 'g', false), substitution: (rr.substitution ?? '').replace(/\\(\d)/g, '$$$1') }
      : undefined,
    hostRewrite: a.host_rewrite_literal,
    retry: compileRetryPolicy(resource, a.retry_policy),
    mirrors: (a.request_mirror_policies ?? []).map((m) => {
      if (typeof m.cluster !== 'string' || m.cluster === '') throw invalid(resource, 'mirror policy without cluster');
      return { cluster: m.cluster, probability: fraction(resource, m.runtime_fraction?.default_value, 1) };
    }),
    hashPolicy: (a.hash_policy ?? []).map((h) => compileHash(resource, h)),
  };
}

/** Per-request pick among weighted clusters (uniform random over total weight, like Envoy). */
export function pickWeighted(list: readonly CompiledWeightedCluster[], totalWeight: number, random: Random): CompiledWeightedCluster {
  let r = random() * totalWeight;
  for (let i = 0; i < list.length; i++) {
    r -= list[i].weight;
    if (r < 0) return list[i];
  }
  return list[list.length - 1];
}
