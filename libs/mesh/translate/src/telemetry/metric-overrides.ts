import type { IstioMetricOverride } from '@trellis/mesh-envoy';
import type { TranslateContext } from '../context';

/**
 * The Telemetry API's `metrics` for the proxy's workload (mesh → namespace → workload, Istio's
 * precedence) as Istio's stats filter overrides: dropped metrics, removed tags, tags set by CEL.
 * Reporter-specific (`mode`: CLIENT = outbound/gateway, SERVER = inbound). (Stub: filled in by the
 * Telemetry API work; the stats filter translation calls it.)
 */
export function telemetryMetricOverrides(_ctx: TranslateContext, _mode: 'CLIENT' | 'SERVER'): IstioMetricOverride[] {
  return [];
}
