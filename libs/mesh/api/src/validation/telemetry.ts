import type { Metrics, ProviderRef, TelemetrySpec, Tracing } from '../types';
import type { FieldProblem } from './ajv-errors';
import { checkSelection } from './authorization-policy';
import { celShapeProblem } from './telemetry-filter';

/**
 * Istio's `ValidateTelemetry` (pkg/config/validation) beyond the schema, with istiod's messages and
 * the field they concern: selector xor targetRef(s), provider names non-empty, the access-log filter
 * a CEL expression, sampling in [0, 100], custom tags and tag overrides complete. Unknown provider
 * names are not an apply-time error in Istio (istiod skips them): `trellis analyze` reports them.
 */

function providerProblems(providers: readonly ProviderRef[] | undefined, at: string): FieldProblem[] {
  const i = (providers ?? []).findIndex((p) => (p?.name ?? '') === '');
  return i < 0 ? [] : [{ path: `${at}.providers[${i}].name`, message: 'providers.name may not be empty' }];
}

function tracingProblems(t: Tracing, at: string): FieldProblem[] {
  const out = providerProblems(t.providers, at);
  const pct = t.randomSamplingPercentage;
  if (pct !== undefined && (pct < 0 || pct > 100)) out.push({ path: `${at}.randomSamplingPercentage`, message: 'randomSamplingPercentage must be in range [0.0, 100.0]' });
  for (const [name, tag] of Object.entries(t.customTags ?? {})) {
    const path = `${at}.customTags.${name}`;
    if (name === '') out.push({ path, message: 'tag name may not be empty' });
    if (tag.literal !== undefined && tag.literal.value === '') out.push({ path: `${path}.literal.value`, message: 'literal tag value may not be empty' });
    if (tag.header !== undefined && tag.header.name === '') out.push({ path: `${path}.header.name`, message: 'header tag name may not be empty' });
    if (tag.environment !== undefined && tag.environment.name === '') out.push({ path: `${path}.environment.name`, message: 'environment tag name may not be empty' });
  }
  return out;
}

function metricsProblems(m: Metrics, at: string): FieldProblem[] {
  const out = providerProblems(m.providers, at);
  (m.overrides ?? []).forEach((o, i) => {
    const path = `${at}.overrides[${i}]`;
    for (const [tag, to] of Object.entries(o.tagOverrides ?? {})) {
      const tagPath = `${path}.tagOverrides.${tag}`;
      const op = to.operation ?? 'UPSERT';
      if (op === 'UPSERT' && (to.value ?? '') === '') out.push({ path: `${tagPath}.value`, message: 'tagOverrides.value must be set when operation is UPSERT' });
      if (op === 'REMOVE' && (to.value ?? '') !== '') out.push({ path: `${tagPath}.value`, message: 'tagOverrides.value may only be set when operation is UPSERT' });
    }
    if (o.match?.customMetric === '') out.push({ path: `${path}.match.customMetric`, message: 'customMetric may not be empty' });
  });
  return out;
}

export function checkTelemetry(spec: TelemetrySpec): FieldProblem[] {
  const out = checkSelection(spec);
  (spec.accessLogging ?? []).forEach((l, i) => {
    const at = `spec.accessLogging[${i}]`;
    const expression = l.filter?.expression;
    const cel = expression === undefined ? undefined : celShapeProblem(expression);
    if (cel !== undefined) out.push({ path: `${at}.filter.expression`, message: cel });
    out.push(...providerProblems(l.providers, at));
  });
  (spec.tracing ?? []).forEach((t, i) => out.push(...tracingProblems(t, `spec.tracing[${i}]`)));
  (spec.metrics ?? []).forEach((m, i) => out.push(...metricsProblems(m, `spec.metrics[${i}]`)));
  return out;
}
