import type { FieldProblem } from './ajv-errors';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

const NAME_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const NAMESPACE_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

function checkStringMap(value: unknown, path: string): FieldProblem[] {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [{ path, message: 'must be a map of strings' }];
  return Object.entries(value)
    .filter(([, v]) => typeof v !== 'string')
    .map(([k]) => ({ path: `${path}[${JSON.stringify(k)}]`, message: 'must be string' }));
}

/** Kubernetes ObjectMeta checks: name (RFC 1123 subdomain), namespace (RFC 1123 label), labels, annotations. */
export function checkMetadata(metadata: unknown): FieldProblem[] {
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
    return [{ path: 'metadata', message: 'required field is missing' }];
  }
  const m = metadata as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const name = m['name'];
  if (name === undefined || name === '') problems.push({ path: 'metadata.name', message: 'required field is missing' });
  else if (typeof name !== 'string') problems.push({ path: 'metadata.name', message: 'must be string' });
  else if (!isDns1123Subdomain(name)) problems.push({ path: 'metadata.name', message: `invalid name ${JSON.stringify(name)}: ${NAME_MESSAGE}` });
  const ns = m['namespace'];
  if (ns !== undefined && (typeof ns !== 'string' || !isDns1123Label(ns))) {
    problems.push({ path: 'metadata.namespace', message: `invalid namespace ${JSON.stringify(ns)}: ${NAMESPACE_MESSAGE}` });
  }
  problems.push(...checkStringMap(m['labels'], 'metadata.labels'), ...checkStringMap(m['annotations'], 'metadata.annotations'));
  return problems;
}
