import type { AuthorizationOperation, AuthorizationPolicySpec, AuthorizationRule, AuthorizationSource, PolicyTargetReference } from '../types';
import type { FieldProblem } from './ajv-errors';
import { checkAttribute, checkEmptyValues, checkIps, checkPathTemplates, checkPorts, checkServiceAccounts } from './authorization-policy-values';

/**
 * Istio's validation-webhook checks of AuthorizationPolicy (`ValidateAuthorizationPolicy` in
 * pkg/config/validation) beyond the schema, with istiod's messages and the field they concern.
 * (An empty list reads as absent, as protojson leaves it nil: `from: []` is no `from`.)
 */

const ALLOWED_TARGETS = [
  { group: 'core', kind: 'Service' },
  { group: 'networking.istio.io', kind: 'ServiceEntry' },
  { group: 'gateway.networking.k8s.io', kind: 'Gateway' },
  { group: 'gateway.networking.k8s.io', kind: 'GatewayClass' },
];
const ALLOWED_TEXT = '[/v1/Service networking.istio.io/v1/ServiceEntry gateway.networking.k8s.io/v1/Gateway gateway.networking.k8s.io/v1/GatewayClass]';

const at = (path: string, messages: readonly string[]): FieldProblem[] => messages.map((message) => ({ path, message }));
const some = (xs: readonly unknown[] | undefined): boolean => (xs?.length ?? 0) > 0;

function checkTargetRef(ref: PolicyTargetReference, path: string): FieldProblem[] {
  const out: string[] = [];
  if (ref.name === '') out.push('targetRef name must be set');
  if ((ref.namespace ?? '') !== '') out.push('targetRef namespace must not be set; cross namespace referencing is not supported');
  const group = ref.group === undefined || ref.group === '' ? 'core' : ref.group;
  if (!ALLOWED_TARGETS.some((t) => t.group === group && t.kind === ref.kind)) out.push(`targetRef must be to one of ${ALLOWED_TEXT} but was ${ref.group ?? ''}/${ref.kind}`);
  return at(path, out);
}

/** selector xor targetRef(s), and the targetRefs' shape (Istio's validateOneOfSelectorType + validatePolicyTargetReference); shared by Telemetry. */
export function checkSelection(spec: Pick<AuthorizationPolicySpec, 'selector' | 'targetRef' | 'targetRefs'>): FieldProblem[] {
  const set = [spec.selector !== undefined, spec.targetRef !== undefined, some(spec.targetRefs)].filter(Boolean).length;
  return [
    ...(set > 1 ? at('spec', ['only one of targetRefs or workloadSelector can be set']) : []),
    ...(spec.targetRef !== undefined ? checkTargetRef(spec.targetRef, 'spec.targetRef') : []),
    ...(spec.targetRefs ?? []).flatMap((r, i) => checkTargetRef(r, `spec.targetRefs[${i}]`)),
  ];
}

const UNSUPPORTED_CUSTOM_SOURCE: [keyof AuthorizationSource, string][] = [
  ['namespaces', 'From.Namespaces'],
  ['notNamespaces', 'From.NotNamespaces'],
  ['serviceAccounts', 'From.ServiceAccounts'],
  ['notServiceAccounts', 'From.NotServiceAccounts'],
  ['principals', 'From.Principals'],
  ['notPrincipals', 'From.NotPrincipals'],
  ['requestPrincipals', 'From.RequestPrincipals'],
  ['notRequestPrincipals', 'From.NotRequestPrincipals'],
];
const UNSUPPORTED_CUSTOM_WHEN = (key: string): boolean =>
  ['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'].includes(key) || key.startsWith('request.auth.');

function checkAction(spec: AuthorizationPolicySpec): FieldProblem[] {
  const out: FieldProblem[] = [];
  const rules = spec.rules ?? [];
  if (spec.action === 'CUSTOM') {
    if (rules.length === 0) out.push(...at('spec.rules', ['CUSTOM action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request']));
    else if ((spec.provider?.name ?? '') === '') out.push(...at('spec.provider.name', ['`provider.name` must not be empty']));
    rules.forEach((r, i) => {
      (r.from ?? []).forEach((f, j) => {
        for (const [field, name] of UNSUPPORTED_CUSTOM_SOURCE) if (some(f.source?.[field])) out.push(...at(`spec.rules[${i}].from[${j}].source.${field}`, [`${name} is currently not supported with CUSTOM action`]));
      });
      (r.when ?? []).forEach((w, j) => UNSUPPORTED_CUSTOM_WHEN(w.key) && out.push(...at(`spec.rules[${i}].when[${j}].key`, [`${w.key} is currently not supported with CUSTOM action`])));
    });
  }
  if (spec.provider !== undefined && spec.action !== 'CUSTOM') out.push(...at('spec.provider', [`\`provider\` must not be with non CUSTOM action, found ${spec.action ?? 'ALLOW'}`]));
  if (spec.action === 'DENY' && rules.length === 0) out.push(...at('spec.rules', ['DENY action without `rules` is meaningless as it will never be triggered, add an empty rule `{}` if you want it be triggered for every request']));
  return out;
}

function checkSource(s: AuthorizationSource | undefined, i: number, path: string): FieldProblem[] {
  if (s === undefined) return at(path, [`\`from.source\` must not be nil, found at rule ${i}`]);
  const p = `${path}.source`;
  const out: FieldProblem[] = [];
  if (some([...(s.principals ?? []), ...(s.notPrincipals ?? []), ...(s.namespaces ?? []), ...(s.notNamespaces ?? [])]) && some([...(s.serviceAccounts ?? []), ...(s.notServiceAccounts ?? [])])) {
    out.push(...at(p, [`cannot set serviceAccounts with namespaces or principals, found at rule ${i}`]));
  }
  if (!Object.values(s).some((v) => some(v as unknown[] | undefined))) out.push(...at(p, [`\`from.source\` must not be empty, found at rule ${i}`]));
  for (const f of ['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks'] as const) out.push(...at(`${p}.${f}`, [...checkIps(s[f]), ...checkEmptyValues(f.charAt(0).toUpperCase() + f.slice(1), s[f])]));
  for (const f of ['principals', 'requestPrincipals', 'namespaces', 'notPrincipals', 'notRequestPrincipals', 'notNamespaces'] as const) {
    out.push(...at(`${p}.${f}`, checkEmptyValues(f.charAt(0).toUpperCase() + f.slice(1), s[f])));
  }
  out.push(...at(`${p}.serviceAccounts`, checkServiceAccounts('ServiceAccounts', s.serviceAccounts)));
  out.push(...at(`${p}.notServiceAccounts`, checkServiceAccounts('NotServiceAccounts', s.notServiceAccounts)));
  return out;
}

function checkOperation(o: AuthorizationOperation | undefined, i: number, path: string): FieldProblem[] {
  if (o === undefined) return at(path, [`\`to.operation\` must not be nil, found at rule ${i}`]);
  const p = `${path}.operation`;
  const out: FieldProblem[] = [];
  if (!Object.values(o).some((v) => some(v as unknown[] | undefined))) out.push(...at(p, [`\`to.operation\` must not be empty, found at rule ${i}`]));
  out.push(...at(`${p}.ports`, checkPorts(o.ports)), ...at(`${p}.notPorts`, checkPorts(o.notPorts)));
  for (const f of ['ports', 'methods', 'paths', 'hosts', 'notPorts', 'notMethods', 'notPaths', 'notHosts'] as const) {
    out.push(...at(`${p}.${f}`, checkEmptyValues(f.charAt(0).toUpperCase() + f.slice(1), o[f])));
  }
  out.push(...at(`${p}.paths`, checkPathTemplates('Paths', o.paths)), ...at(`${p}.notPaths`, checkPathTemplates('NotPaths', o.notPaths)));
  return out;
}

function checkRule(r: AuthorizationRule, i: number): FieldProblem[] {
  const base = `spec.rules[${i}]`;
  const out: FieldProblem[] = [];
  (r.from ?? []).forEach((f, j) => out.push(...checkSource(f.source, i, `${base}.from[${j}]`)));
  (r.to ?? []).forEach((t, j) => out.push(...checkOperation(t.operation, i, `${base}.to[${j}]`)));
  (r.when ?? []).forEach((w, j) => {
    const p = `${base}.when[${j}]`;
    if (w.key === '') out.push(...at(`${p}.key`, ['`key` must not be empty']));
    else if (!some(w.values) && !some(w.notValues)) out.push(...at(p, [`at least one of \`values\` or \`notValues\` must be set for key ${w.key}`]));
    else {
      out.push(...at(`${p}.values`, checkAttribute(w.key, w.values).map((m) => `invalid \`value\` for \`key\` ${w.key}: ${m}`)));
      out.push(...at(`${p}.notValues`, checkAttribute(w.key, w.notValues).map((m) => `invalid \`notValue\` for \`key\` ${w.key}: ${m}`)));
    }
  });
  return out;
}

export function checkAuthorizationPolicy(spec: AuthorizationPolicySpec): FieldProblem[] {
  return [...checkSelection(spec), ...checkAction(spec), ...(spec.rules ?? []).flatMap(checkRule)];
}
