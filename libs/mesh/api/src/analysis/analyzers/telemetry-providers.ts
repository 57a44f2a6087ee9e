import { findExtensionProvider } from '../../telemetry/providers';
import type { Telemetry } from '../../types';
import { refOf, telemetryUnknownProvider, type AnalysisMessage } from '../messages';
import type { AnalysisContext } from './context';

/**
 * IST0902 TelemetryUnknownProvider (Trellis): every `providers[].name` of a Telemetry's accessLogging,
 * tracing and metrics must be one of `meshConfig.extensionProviders` or istiod's built-ins (`envoy`,
 * `prometheus`); istiod skips an unknown one without a word. Skipped when the mesh config is unknown.
 */
const SECTIONS = ['accessLogging', 'tracing', 'metrics'] as const;

function unknownProviders(t: Telemetry, ctx: AnalysisContext): AnalysisMessage[] {
  const mesh = ctx.meshConfig;
  if (mesh === undefined) return [];
  const out: AnalysisMessage[] = [];
  for (const section of SECTIONS) {
    (t.spec[section] ?? []).forEach((entry, i) => {
      (entry.providers ?? []).forEach((p, j) => {
        if (findExtensionProvider(mesh, p.name) === undefined) out.push(telemetryUnknownProvider(refOf(t), `${section}[${i}].providers[${j}]`, p.name));
      });
    });
  }
  return out;
}

export function analyzeTelemetryProviders(ctx: AnalysisContext): AnalysisMessage[] {
  return ctx.telemetries.flatMap((t) => unknownProviders(t, ctx));
}
