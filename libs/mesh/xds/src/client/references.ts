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

/** SdsSecretConfig names whose `sds_config` is ADS (`{ads: {}}`): the secrets this stream must request. */
function adsSecretNames(socket: unknown, add: (name: string) => void): void {
  const common = obj(obj(obj(socket)?.['typed_config'])?.['common_tls_context']);
  if (common === undefined) return;
  const refs = [...list(common['tls_certificate_sds_secret_configs']), obj(common['combined_validation_context'])?.['validation_context_sds_secret_config']];
  for (const ref of refs) {
    const r = obj(ref);
    const name = r?.['name'];
    if (obj(obj(r?.['sds_config'])?.['ads']) !== undefined && typeof name === 'string' && name !== '') add(name);
  }
}

/**
 * SDS names referenced over ADS by listeners' filter chains (a gateway's `kubernetes://<credentialName>`
 * and `…-cacert`) or clusters' transport sockets. `sds-grpc` references (`default`, `ROOTCA`) are the
 * in-process agent's and are not requested here.
 */
export function sdsNamesOf(resources: readonly XdsResource[]): string[] {
  const names = new Set<string>();
  const add = (name: string): void => void names.add(name);
  for (const r of resources) {
    for (const chain of [...list(r['filter_chains']), r['default_filter_chain']]) adsSecretNames(obj(chain)?.['transport_socket'], add);
    adsSecretNames(r['transport_socket'], add);
    for (const m of list(r['transport_socket_matches'])) adsSecretNames(obj(m)?.['transport_socket'], add);
  }
  return [...names].sort();
}
