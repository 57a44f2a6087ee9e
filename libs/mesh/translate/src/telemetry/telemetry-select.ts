import { findExtensionProvider, labelsMatch, type Telemetry, type TelemetrySpec } from '@trellis/mesh-api';
import { sortedByCreation, namespaceOf, type TranslateContext } from '../context';
import { ownWorkload } from '../inbound';

/**
 * The Telemetry resources that apply to the proxy, in istiod's order (pilot/pkg/model/telemetry.go
 * `applicableTelemetries`): the root namespace's mesh-wide one (no selector, no targetRefs), then its
 * own namespace's namespace-wide one, then every selecting one of its namespace; later entries override
 * earlier ones. Per scope the oldest resource wins, as istiod's namespace index (creation order).
 */
export function applicableTelemetries(ctx: TranslateContext): TelemetrySpec[] {
  const all = ctx.snapshot.telemetries;
  if (all.length === 0) return [];
  const root = ctx.snapshot.rootNamespace;
  const namespace = ctx.proxy.namespace;
  const sorted = sortedByCreation(all);
  const wide = (ns: string): Telemetry | undefined => sorted.find((t) => namespaceOf(t) === ns && isNamespaceWide(t.spec));
  const out: TelemetrySpec[] = [];
  const mesh = wide(root);
  if (mesh !== undefined) out.push(mesh.spec);
  const own = namespace === root ? undefined : wide(namespace);
  if (own !== undefined) out.push(own.spec);
  const labels = ownWorkload(ctx)?.labels ?? ctx.proxy.labels;
  for (const t of sorted) {
    if (namespaceOf(t) !== namespace || isNamespaceWide(t.spec)) continue;
    if (selects(ctx, t.spec, namespace, labels)) out.push(t.spec);
  }
  return out;
}

function isNamespaceWide(spec: TelemetrySpec): boolean {
  return Object.keys(spec.selector?.matchLabels ?? {}).length === 0 && spec.targetRef === undefined && (spec.targetRefs ?? []).length === 0;
}

/** A selector matches the workload's labels; a `Service` targetRef a Service of the namespace selecting it. */
function selects(ctx: TranslateContext, spec: TelemetrySpec, namespace: string, labels: Readonly<Record<string, string>>): boolean {
  const matchLabels = spec.selector?.matchLabels;
  if (matchLabels !== undefined && Object.keys(matchLabels).length > 0) return labelsMatch(matchLabels, labels);
  const refs = [...(spec.targetRef === undefined ? [] : [spec.targetRef]), ...(spec.targetRefs ?? [])];
  return refs.some(
    (r) => r.kind === 'Service' && ctx.snapshot.services.some((s) => s.namespace === namespace && s.name === r.name && Object.keys(s.selector).length > 0 && labelsMatch(s.selector, labels)),
  );
}

/** `extensionProviders` by name, then istiod's built-ins (mesh-api's one list, shared with `trellis analyze`). */
export const findProvider = findExtensionProvider;

/** The reporter side of a listener: inbound sidecar listeners are SERVER; outbound and gateways CLIENT. */
export type TelemetryMode = 'CLIENT' | 'SERVER';

export function matchesMode(mode: string | undefined, want: TelemetryMode): boolean {
  return mode === undefined || mode === 'CLIENT_AND_SERVER' || mode === want;
}
