import { HCM_TYPE } from '@trellis/mesh-envoy';
import type { XdsResource } from '../resources';

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** EDS names the clusters need: `eds_cluster_config.service_name`, else the cluster name. */
export function edsNamesOf(clusters: readonly XdsResource[]): string[] {
  const names = new Set<string>();
  for (const c of clusters) {
    if (c['type'] !== 'EDS') continue;
    const service = obj(c['eds_cluster_config'])?.['service_name'];
    const name = typeof service === 'string' && service !== '' ? service : c['name'];
    if (typeof name === 'string') names.add(name);
  }
  return [...names].sort();
}

function hcmRouteName(typedConfig: unknown): string | undefined {
  const hcm = obj(typedConfig);
  if (hcm?.['@type'] !== HCM_TYPE) return undefined;
  const name = obj(hcm['rds'])?.['route_config_name'];
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** RDS names referenced by the listeners' HttpConnectionManagers (filter chains and api_listener). */
export function rdsNamesOf(listeners: readonly XdsResource[]): string[] {
  const names = new Set<string>();
  const add = (name: string | undefined): void => {
    if (name !== undefined) names.add(name);
  };
  for (const l of listeners) {
    const chains = [...list(l['filter_chains']), l['default_filter_chain']];
    for (const chain of chains) {
      for (const filter of list(obj(chain)?.['filters'])) add(hcmRouteName(obj(filter)?.['typed_config']));
    }
    add(hcmRouteName(obj(l['api_listener'])?.['api_listener']));
  }
  return [...names].sort();
}
