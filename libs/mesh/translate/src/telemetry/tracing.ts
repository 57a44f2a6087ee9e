import { ZIPKIN_TRACER_NAME, type CustomTag, type HcmTracing } from '@trellis/mesh-envoy';
import type { ExtensionProvider, MeshConfig, TelemetrySpec, Tracing, TracingCustomTag } from '@trellis/mesh-api';
import type { TranslateContext } from '../context';
import { outboundClusterName } from '../naming';
import { findProvider, matchesMode, type TelemetryMode } from './telemetry-select';
import { providerTracing, zipkinConfig } from './tracing-provider';

/** Istio's default sampling (features.TraceSampling, PILOT_TRACE_SAMPLING): 1 %. */
export const DEFAULT_TRACE_SAMPLING = 1;
/** Istio's default `defaultConfig.tracing.zipkin.address`. */
export const DEFAULT_ZIPKIN_ADDRESS = 'zipkin.istio-system:9411';

/**
 * istiod's proxyConfigSamplingValue: the pod's `proxy.istio.io/config` `tracing.sampling` (PROXY_CONFIG
 * node metadata), else `meshConfig.defaultConfig.tracing.sampling`, else 1 %; 0 means unset, above 100 is 1.
 */
export function proxyConfigSampling(ctx: TranslateContext, mesh: MeshConfig): number {
  const own = ctx.proxy.proxyConfig?.tracing?.sampling;
  const sampling = own !== undefined && own !== 0 ? own : (mesh.defaultConfig?.tracing?.sampling ?? 0);
  if (sampling === 0) return DEFAULT_TRACE_SAMPLING;
  return sampling > 100 ? 1 : sampling;
}

type Spec = { provider: ExtensionProvider | undefined; disabled: boolean; sampling?: number; customTags?: Record<string, TracingCustomTag> };

/** istiod's Telemetries.Tracing for one mode: later Telemetry entries override earlier ones field by field. */
function mergeTracing(specs: readonly TelemetrySpec[], mesh: MeshConfig, mode: TelemetryMode): Spec | undefined {
  const entries: Tracing[] = specs.flatMap((s) => s.tracing ?? []);
  const defaults = mesh.defaultProviders?.tracing ?? [];
  if (entries.length === 0 && defaults.length === 0) return undefined;
  const spec: Spec = { provider: defaults[0] === undefined ? undefined : findProvider(mesh, defaults[0]), disabled: false };
  for (const t of entries) {
    if (!matchesMode(t.match?.mode, mode)) continue;
    const first = t.providers?.[0]?.name;
    if (first !== undefined) spec.provider = findProvider(mesh, first);
    if (t.disableSpanReporting !== undefined) spec.disabled = t.disableSpanReporting;
    if (t.customTags !== undefined) spec.customTags = t.customTags;
    if (t.randomSamplingPercentage !== undefined) spec.sampling = t.randomSamplingPercentage;
  }
  if (spec.provider === undefined) spec.disabled = true;
  return spec;
}

/** istiod's buildServiceTags: literal istio.* tags on every span. */
function serviceTags(ctx: TranslateContext, mesh: MeshConfig): CustomTag[] {
  const l = ctx.proxy.labels;
  const lit = (tag: string, value: string): CustomTag => ({ tag, literal: { value } });
  return [
    lit('istio.canonical_revision', l['service.istio.io/canonical-revision'] ?? 'latest'),
    lit('istio.canonical_service', l['service.istio.io/canonical-name'] ?? 'unknown'),
    lit('istio.mesh_id', mesh.trustDomain ?? 'cluster.local'),
    lit('istio.namespace', ctx.proxy.namespace === '' ? 'default' : ctx.proxy.namespace),
    lit('istio.cluster_id', 'Kubernetes'),
  ];
}

function telemetryTags(tags: Record<string, TracingCustomTag> | undefined): CustomTag[] {
  return Object.entries(tags ?? {}).map(([tag, t]): CustomTag => {
    if (t.literal !== undefined) return { tag, literal: { value: t.literal.value } };
    if (t.environment !== undefined) return { tag, environment: { name: t.environment.name, ...(t.environment.defaultValue === undefined ? {} : { default_value: t.environment.defaultValue }) } };
    return { tag, request_header: { name: t.header?.name ?? '', ...(t.header?.defaultValue === undefined ? {} : { default_value: t.header.defaultValue }) } };
  });
}

const byTag = (a: CustomTag, b: CustomTag): number => ((a.tag ?? '') < (b.tag ?? '') ? -1 : (a.tag ?? '') > (b.tag ?? '') ? 1 : 0);

/** istiod's configureSampling: client and overall 100 %, random the chosen percentage. */
function sampled(t: HcmTracing, random: number, tags: CustomTag[], maxPath: number | undefined): HcmTracing {
  const out: HcmTracing = { ...t, client_sampling: { value: 100 }, random_sampling: { value: random }, overall_sampling: { value: 100 }, custom_tags: tags.sort(byTag) };
  if (out.max_path_tag_length === undefined && maxPath !== undefined && maxPath !== 0) out.max_path_tag_length = { value: maxPath };
  return out;
}

/** Without Telemetry: `enableTracing` and Istio's bootstrap Zipkin (`defaultConfig.tracing.zipkin.address`). */
function meshDefaultTracing(ctx: TranslateContext, mesh: MeshConfig): HcmTracing | undefined {
  if (mesh.enableTracing === false) return undefined;
  const address = mesh.defaultConfig?.tracing?.zipkin?.address ?? DEFAULT_ZIPKIN_ADDRESS;
  const colon = address.lastIndexOf(':');
  const host = colon < 0 ? address : address.slice(0, colon);
  const port = colon < 0 ? 9411 : Number(address.slice(colon + 1));
  const fqdn = host.includes('.svc') || host.split('.').length !== 2 ? host : `${host}.svc.${ctx.snapshot.domainSuffix}`;
  const provider = { name: ZIPKIN_TRACER_NAME, typed_config: zipkinConfig(address, outboundClusterName(port, fqdn), undefined) };
  const base: HcmTracing = { ...(ctx.proxy.type === 'router' ? { spawn_upstream_span: { value: true } } : {}), provider };
  return sampled(base, proxyConfigSampling(ctx, mesh), serviceTags(ctx, mesh), mesh.defaultConfig?.tracing?.maxPathTagLength);
}

/**
 * The HCM `tracing` istiod writes for a listener of `mode` (pilot/pkg/networking/core/tracing.go):
 * Telemetry `tracing` (or `defaultProviders.tracing`) when any applies — its provider (Zipkin or
 * OpenTelemetry), `randomSamplingPercentage` over the proxy's sampling, custom tags, nothing when span
 * reporting is disabled or no provider resolves; else MeshConfig `enableTracing` with Istio's Zipkin.
 */
export function tracingFor(ctx: TranslateContext, specs: readonly TelemetrySpec[], mesh: MeshConfig, mode: TelemetryMode): HcmTracing | undefined {
  const spec = mergeTracing(specs, mesh, mode);
  if (spec === undefined) return meshDefaultTracing(ctx, mesh);
  if (spec.disabled || spec.provider === undefined) return undefined;
  const base = providerTracing(ctx, spec.provider);
  if (base === undefined) return undefined;
  const tags = [...serviceTags(ctx, mesh), ...telemetryTags(spec.customTags)];
  return sampled(base, spec.sampling ?? proxyConfigSampling(ctx, mesh), tags, mesh.defaultConfig?.tracing?.maxPathTagLength);
}
