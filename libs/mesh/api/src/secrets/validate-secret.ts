import type { KubeSecret } from '../types';
import type { FieldProblem } from '../validation/ajv-errors';
import { checkMetadata } from '../validation/metadata';
import type { ValidationError } from '../validation/validation-error';
import { checkSecretTls } from './tls-credential';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A manifest that is a core/v1 Secret (`kubectl create secret … -o yaml`). */
export function isSecretManifest(value: unknown): boolean {
  return isObj(value) && value['kind'] === 'Secret' && value['apiVersion'] === 'v1';
}

function checkStrings(value: unknown, path: string): FieldProblem[] {
  if (value === undefined) return [];
  if (!isObj(value)) return [{ path, message: 'must be a map of strings' }];
  return Object.entries(value)
    .filter(([, v]) => typeof v !== 'string')
    .map(([k]) => ({ path: `${path}.${k}`, message: 'must be string' }));
}

function shapeProblems(o: Obj): FieldProblem[] {
  const out = [...checkMetadata(o['metadata']), ...checkStrings(o['data'], 'data'), ...checkStrings(o['stringData'], 'stringData')];
  if (o['type'] !== undefined && typeof o['type'] !== 'string') out.push({ path: 'type', message: 'must be string' });
  return out;
}

export interface SecretValidation {
  /** Deep copies with `metadata.namespace` filled in. */
  readonly valid: KubeSecret[];
  readonly errors: ValidationError[];
}

/** Validates Secret manifests as the apiserver would, plus the TLS content a gateway reads. */
export function validateSecrets(objects: readonly unknown[], namespace = 'default'): SecretValidation {
  const valid: KubeSecret[] = [];
  const errors: ValidationError[] = [];
  const seen = new Set<string>();
  objects.forEach((value, index) => {
    const o = isObj(value) ? value : {};
    const meta = isObj(o['metadata']) ? o['metadata'] : {};
    const id = { kind: 'Secret', namespace: typeof meta['namespace'] === 'string' ? meta['namespace'] : namespace, name: typeof meta['name'] === 'string' ? meta['name'] : '' };
    const shape = shapeProblems(o);
    const problems = shape.length > 0 ? shape : checkSecretTls(o as unknown as KubeSecret);
    if (problems.length === 0 && seen.has(`${id.namespace}/${id.name}`)) problems.push({ path: 'metadata.name', message: 'duplicate object in the same request' });
    seen.add(`${id.namespace}/${id.name}`);
    errors.push(...problems.map((p) => ({ ...id, ...p, index })));
    if (problems.length > 0) return;
    const copy = structuredClone(o) as unknown as KubeSecret;
    copy.metadata.namespace ??= namespace;
    valid.push(copy);
  });
  return { valid, errors };
}

/** The Secret as `trellis get` shows it: every value replaced, keys kept (kubectl describe's spirit). */
export function redactSecret(secret: KubeSecret): KubeSecret {
  const mask = (m: Record<string, string> | undefined): Record<string, string> | undefined =>
    m === undefined ? undefined : Object.fromEntries(Object.keys(m).map((k) => [k, 'REDACTED']));
  const { stringData, data, ...rest } = secret;
  const masked = mask({ ...(data ?? {}), ...(stringData ?? {}) });
  return { ...rest, ...(masked !== undefined && Object.keys(masked).length > 0 ? { data: masked } : {}) };
}
