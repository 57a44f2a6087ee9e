import { TrellisError } from '@trellis/shared';
import { isTree } from './operator-tree';
import { EGRESS_GATEWAY, HELM_PROFILES, INGRESS_GATEWAY, PROFILE_NAMES } from './profiles';
import type { PathSegment } from './set-flag';

export const INSTALL_OPTION_UNSUPPORTED = 'INSTALL_OPTION_UNSUPPORTED';
export const INSTALL_OPTION_INVALID = 'INSTALL_OPTION_INVALID';

/** The MeshConfig fields the control plane reads (libs/mesh/api MeshConfig); a path below one is theirs to check. */
export const HONOURED_MESH_FIELDS = [
  'accessLogFile', 'accessLogEncoding', 'accessLogFormat', 'enableTracing', 'defaultConfig.tracing', 'extensionProviders',
  'defaultProviders', 'outboundTrafficPolicy.mode', 'trustDomain', 'rootNamespace',
];

type Check = (value: unknown) => string | undefined;

const oneOf = (allowed: readonly unknown[]): Check => (v) => (allowed.includes(v) ? undefined : `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
const bool: Check = (v) => (typeof v === 'boolean' ? undefined : 'must be true or false');
const percent: Check = (v) => (typeof v === 'number' && v >= 0 && v <= 100 ? undefined : 'must be a number from 0 to 100');
const meshField = (prefix: string) => new RegExp(`^${prefix}(${HONOURED_MESH_FIELDS.map((f) => f.replace('.', '\\.')).join('|')})([.[].*)?$`);

/** Every IstioOperator `spec` path Trellis honours (list indices written `[]`), with the check of its value. */
const RULES: readonly { readonly path: RegExp; readonly name: string; readonly check?: Check; readonly whole?: true }[] = [
  { path: /^profile$/, name: 'profile', check: oneOf(PROFILE_NAMES) },
  { path: /^(values\.)?meshConfig\.outboundTrafficPolicy\.mode$/, name: 'meshConfig.outboundTrafficPolicy.mode', check: oneOf(['ALLOW_ANY', 'REGISTRY_ONLY']), whole: true },
  { path: /^components\.(base|pilot)\.enabled$/, name: 'components.{base,pilot}.enabled', check: bool },
  { path: /^components\.ingressGateways\[\]\.name$/, name: 'components.ingressGateways[].name', check: oneOf([INGRESS_GATEWAY]) },
  { path: /^components\.egressGateways\[\]\.name$/, name: 'components.egressGateways[].name', check: oneOf([EGRESS_GATEWAY]) },
  { path: /^components\.(ingress|egress)Gateways\[\]\.enabled$/, name: 'components.{ingress,egress}Gateways[].enabled', check: bool },
  { path: /^components\.(ingress|egress)Gateways\[\]\.namespace$/, name: 'components.{ingress,egress}Gateways[].namespace', check: oneOf(['istio-system']) },
  { path: meshField('meshConfig\\.'), name: `meshConfig.{${HONOURED_MESH_FIELDS.join(',')}}`, whole: true },
  { path: meshField('values\\.meshConfig\\.'), name: 'values.meshConfig.* (the same fields)', whole: true },
  { path: /^values\.profile$/, name: 'values.profile', check: oneOf(['', 'default', ...Object.keys(HELM_PROFILES)]) },
  { path: /^values\.global\.istioNamespace$/, name: 'values.global.istioNamespace', check: oneOf(['istio-system']) },
  { path: /^values\.pilot\.traceSampling$/, name: 'values.pilot.traceSampling', check: percent },
  { path: /^values\.gateways\.istio-ingressgateway\.type$/, name: 'values.gateways.istio-ingressgateway.type', check: oneOf(['LoadBalancer', 'NodePort', 'ClusterIP']) },
];

export const HONOURED_PATHS = RULES.map((r) => r.name);

/** `components.ingressGateways[0].enabled` → `components.ingressGateways[].enabled`. */
export function pathPattern(path: readonly PathSegment[]): string {
  return path.map((s) => (typeof s === 'string' ? `.${s}` : '[]')).join('').replace(/^\./, '');
}

/** Maps and lists on the way to honoured paths: empty ones (`values.gateways.istio-ingressgateway: {}`) are harmless. */
const CONTAINERS = new Set([
  'components', 'components.base', 'components.pilot', 'components.ingressGateways', 'components.ingressGateways[]', 'components.egressGateways',
  'components.egressGateways[]', 'meshConfig', 'values', 'values.global', 'values.pilot', 'values.gateways', 'values.gateways.istio-ingressgateway',
  'values.gateways.istio-egressgateway', 'values.meshConfig',
]);

/**
 * Checks one value the user gave (`--set` or a `-f` file's leaf) at an IstioOperator spec path: a path Trellis
 * does not honour is rejected by name (istioctl would install something Trellis cannot), a bad value with what it must be.
 */
export function checkSpecPath(path: readonly PathSegment[], value: unknown, source: string): void {
  const pattern = pathPattern(path);
  const rule = RULES.find((r) => r.path.test(pattern));
  if (rule === undefined) {
    const emptyContainer = (isTree(value) && Object.keys(value).length === 0) || (Array.isArray(value) && value.length === 0);
    if (emptyContainer && CONTAINERS.has(pattern)) return;
    throw new TrellisError(INSTALL_OPTION_UNSUPPORTED, `${source}: Trellis does not honour "${pattern}"; it honours ${HONOURED_PATHS.join(', ')}`, { path: pattern, source });
  }
  const problem = rule.check?.(value);
  if (problem !== undefined) throw new TrellisError(INSTALL_OPTION_INVALID, `${source}: ${pattern} ${problem} (got ${JSON.stringify(value)})`, { path: pattern, source });
}

/** Checks every leaf of a `-f` file's spec (empty maps and lists count as leaves). */
export function checkSpecTree(spec: unknown, source: string, at: PathSegment[] = []): void {
  const walk = (entries: [PathSegment, unknown][]): void => entries.forEach(([k, v]) => checkSpecTree(v, source, [...at, k]));
  if (isTree(spec) && Object.keys(spec).length > 0 && !isMeshLeaf(at)) walk(Object.entries(spec));
  else if (Array.isArray(spec) && spec.length > 0 && !isMeshLeaf(at)) walk(spec.map((v, i) => [i, v]));
  else if (at.length > 0) checkSpecPath(at, spec, `${source}: spec.${pathPattern(at)}`);
}

/** A honoured MeshConfig field is checked whole (the control plane reads its inside). */
const isMeshLeaf = (at: readonly PathSegment[]): boolean => RULES.some((r) => r.whole === true && r.path.test(pathPattern(at)));
