import type { TypedConfig } from '../config/envoy-types';
import { KNOWN_TYPES, invalid } from '../config/proto';
import type { CompileEnv } from './filter';
import { unwrapTypedStruct } from './typed-struct';

/** Compiled `typed_per_filter_config` by filter name; most routes have none and share this one. */
export const NO_PER_FILTER: ReadonlyMap<string, unknown> = new Map();

/**
 * A route's (or virtual host's) `typed_per_filter_config`, compiled by the filters' own factories.
 * `config.route.v3.FilterConfig` wrappers are unwrapped; an unknown @type, or one whose filter takes
 * no per-route config, is NACKed unless the wrapper says `is_optional`.
 */
export function compilePerFilterConfigs(
  resource: string,
  configs: Readonly<Record<string, TypedConfig>> | undefined,
  env: CompileEnv,
  inherited: ReadonlyMap<string, unknown> = NO_PER_FILTER,
): ReadonlyMap<string, unknown> {
  if (configs === undefined) return inherited;
  const names = Object.keys(configs);
  if (names.length === 0) return inherited;
  const out = new Map(inherited);
  for (const name of names) {
    let config = configs[name];
    let optional = false;
    if (config['@type'] === KNOWN_TYPES.filterConfig) {
      optional = config['is_optional'] === true;
      const inner = config['config'] as TypedConfig | undefined;
      if (inner === undefined) throw invalid(resource, `typed_per_filter_config ${name}: FilterConfig without config`);
      config = inner;
    }
    config = unwrapTypedStruct(resource, config);
    const type = config['@type'];
    const compile = typeof type === 'string' ? env.registry.get(type)?.compilePerRoute : undefined;
    if (compile === undefined) {
      if (optional) continue;
      throw invalid(resource, `typed_per_filter_config ${name}: no per-route config for typed_config ${String(type)}`);
    }
    out.set(name, compile(`${resource} typed_per_filter_config ${name}`, config, env));
  }
  return out;
}
