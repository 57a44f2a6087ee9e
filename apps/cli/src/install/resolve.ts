import { TrellisError, errorMessage } from '@trellis/shared';
import { isTree, mergeTrees, setPath, type Tree } from './operator-tree';
import { EGRESS_GATEWAY, HELM_PROFILES, INGRESS_GATEWAY, PROFILES } from './profiles';
import type { SetFlag } from './set-flag';
import { INSTALL_OPTION_INVALID, checkSpecPath, checkSpecTree } from './spec-rules';

/** A `-f` IstioOperator file's spec, with the name to report it by. */
export interface OperatorFile {
  readonly source: string;
  readonly spec: Tree;
}

export interface InstallInputs {
  readonly files: readonly OperatorFile[];
  readonly sets: readonly SetFlag[];
}

/** What to install, decided once from the profile, the files and the `--set` flags. */
export interface ResolvedInstall {
  readonly profile: string;
  /** The merged IstioOperator spec (profile < files in order < --set in order), as istioctl's installed state. */
  readonly spec: Tree;
  readonly base: boolean;
  readonly pilot: boolean;
  readonly ingressGateway: boolean;
  readonly egressGateway: boolean;
  /** MeshConfig for the istio ConfigMap: helm profile < values.meshConfig < meshConfig (and values.pilot.traceSampling). */
  readonly meshConfig: Tree;
  readonly ingressServiceType?: string;
}

const tree = (v: unknown): Tree => (isTree(v) ? v : {});

/** The user's spec: files merged in order, then each --set in order; every path checked first. */
function userSpec(inputs: InstallInputs): Tree {
  let user: Tree = {};
  for (const file of inputs.files) {
    checkSpecTree(file.spec, file.source);
    user = mergeTrees(user, file.spec);
  }
  for (const set of inputs.sets) {
    checkSpecPath(set.path, set.value, `--set ${set.raw}`);
    try {
      user = setPath(user, set.path, set.value);
    } catch (err) {
      throw new TrellisError(INSTALL_OPTION_INVALID, `--set ${set.raw}: ${errorMessage(err)}`, { source: set.raw });
    }
  }
  return user;
}

function gatewayEnabled(components: Tree, list: string, name: string): boolean {
  const entries = Array.isArray(components[list]) ? (components[list] as unknown[]) : [];
  const entry = entries.map(tree).find((e) => (e['name'] ?? name) === name);
  return entry?.['enabled'] === true;
}

function meshConfigOf(spec: Tree): Tree {
  const userValues = tree(spec['values']);
  const values = mergeTrees(HELM_PROFILES[String(userValues['profile'] ?? '')] ?? {}, userValues);
  const mesh = mergeTrees(tree(values['meshConfig']), tree(spec['meshConfig']));
  const sampling = tree(values['pilot'])['traceSampling'];
  const tracing = tree(tree(mesh['defaultConfig'])['tracing']);
  if (typeof sampling !== 'number' || tracing['sampling'] !== undefined) return mesh;
  return setPath(mesh, ['defaultConfig', 'tracing', 'sampling'], sampling);
}

/** istioctl's MergeInputs: base < profile < files < --set; then what each component gets. */
export function resolveInstall(inputs: InstallInputs): ResolvedInstall {
  const user = userSpec(inputs);
  const profile = typeof user['profile'] === 'string' && user['profile'] !== '' ? user['profile'] : 'default';
  const base = mergeTrees(PROFILES['default'] ?? {}, profile === 'default' ? {} : (PROFILES[profile] ?? {}));
  const spec: Tree = { ...mergeTrees(base, user), profile };
  const components = tree(spec['components']);
  const ingressType = tree(tree(tree(spec['values'])['gateways'])[INGRESS_GATEWAY])['type'];
  return {
    profile,
    spec,
    base: tree(components['base'])['enabled'] !== false,
    pilot: tree(components['pilot'])['enabled'] !== false,
    ingressGateway: gatewayEnabled(components, 'ingressGateways', INGRESS_GATEWAY),
    egressGateway: gatewayEnabled(components, 'egressGateways', EGRESS_GATEWAY),
    meshConfig: meshConfigOf(spec),
    ...(typeof ingressType === 'string' ? { ingressServiceType: ingressType } : {}),
  };
}
