import { CEL_ACCESS_LOG_FILTER_TYPE, type AccessLog, type AccessLogFilter } from '@trellis/mesh-envoy';
import type { AccessLogging, MeshConfig, TelemetrySpec } from '@trellis/mesh-api';
import { fileAccessLogFromMesh, fileAccessLogFromProvider } from './access-log-format';
import { findProvider, matchesMode, type TelemetryMode } from './telemetry-select';

/** istiod's CEL access-log filter extension name (pilot/pkg/networking/core/accesslog.go `celFilter`). */
export const CEL_FILTER_NAME = 'envoy.access_loggers.extension_filters.cel';

type LoggingSpec = { disabled?: boolean; expression?: string };

const names = (l: AccessLogging): string[] => (l.providers ?? []).map((p) => p.name);

/** istiod's mergeLogs: the providers in force for `mode`, each with its filter or disabled. */
function mergeLogs(logs: readonly AccessLogging[][], mesh: MeshConfig, mode: TelemetryMode): Map<string, LoggingSpec> {
  const defaults = mesh.defaultProviders?.accessLogging ?? [];
  const out = new Map<string, LoggingSpec>();
  if (logs.length === 0) {
    for (const d of defaults) out.set(d, {});
    return out;
  }
  let inScope = defaults;
  const filters = new Map<string, LoggingSpec>();
  for (const scope of logs) {
    const scoped = new Set<string>();
    for (const l of scope) {
      if (!matchesMode(l.match?.mode, mode)) continue;
      for (const n of names(l)) {
        scoped.add(n);
        filters.set(n, l.filter?.expression === undefined ? {} : { expression: l.filter.expression });
      }
    }
    if (scoped.size > 0) inScope = [...scoped];
  }
  let parent = defaults;
  for (const scope of logs) {
    for (const l of scope) {
      const provs = names(l).length > 0 ? names(l) : parent;
      parent = provs;
      for (const p of provs) {
        if (!inScope.includes(p) || !matchesMode(l.match?.mode, mode)) continue;
        out.set(p, l.disabled === true ? { disabled: true } : (filters.get(p) ?? {}));
      }
    }
  }
  return out;
}

function celFilter(expression: string): AccessLogFilter {
  return { extension_filter: { name: CEL_FILTER_NAME, typed_config: { '@type': CEL_ACCESS_LOG_FILTER_TYPE, expression } } };
}

/**
 * The `access_log` istiod puts on an HCM or tcp_proxy of `mode`: from the Telemetry API (or
 * `defaultProviders.accessLogging`) when any applies, sorted by provider name, disabled ones left out;
 * else MeshConfig `accessLogFile` (empty = none, Istio's default). Providers that are not file access
 * logs, or unknown, are skipped as istiod does.
 */
export function accessLogsFor(specs: readonly TelemetrySpec[], mesh: MeshConfig, mode: TelemetryMode): AccessLog[] {
  const logs = specs.map((s) => s.accessLogging ?? []).filter((l) => l.length > 0);
  if (logs.length === 0 && (mesh.defaultProviders?.accessLogging ?? []).length === 0) {
    const file = mesh.accessLogFile ?? '';
    return file === '' ? [] : [fileAccessLogFromMesh(file, mesh)];
  }
  const out: { name: string; log: AccessLog }[] = [];
  for (const [name, spec] of mergeLogs(logs, mesh, mode)) {
    const provider = findProvider(mesh, name);
    if (spec.disabled === true || provider?.envoyFileAccessLog === undefined) continue;
    const log = fileAccessLogFromProvider(provider.name, provider.envoyFileAccessLog, mesh);
    out.push({ name: provider.name, log: spec.expression === undefined ? log : { ...log, filter: celFilter(spec.expression) } });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((e) => e.log);
}
