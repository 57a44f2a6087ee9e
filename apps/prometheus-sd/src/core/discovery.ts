/**
 * One `kubernetes_sd_configs` entry, validated as Prometheus 2.42 does for the parts the adapter serves
 * (role, namespaces, selectors); anything else is rejected naming the job and field, never silently ignored.
 */
import { TrellisError } from '@trellis/shared';

export const SD_CONFIG_INVALID = 'SD_CONFIG_INVALID';

export type SdRole = 'pod' | 'endpoints' | 'service' | 'node';
const ROLES: readonly SdRole[] = ['pod', 'endpoints', 'service', 'node'];
/** Roles Prometheus knows that the adapter does not serve. */
const OTHER_ROLES = ['endpointslice', 'ingress'];

export interface SdSelector {
  role: SdRole;
  label?: string;
  field?: string;
}

export interface KubeDiscovery {
  role: SdRole;
  /** Namespaces to watch; empty = all. */
  namespaces: string[];
  selectors: SdSelector[];
}

/** Where a field sits in prometheus.yml, for error messages. */
export interface SdPath {
  job: string;
  index: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function invalid(at: SdPath, field: string, message: string, value?: unknown): TrellisError {
  const where = `scrape_configs job "${at.job}": kubernetes_sd_configs[${at.index}].${field}`;
  return new TrellisError(SD_CONFIG_INVALID, `${where}: ${message}`, { job: at.job, field: `kubernetes_sd_configs[${at.index}].${field}`, ...(value === undefined ? {} : { value }) });
}

function parseRole(raw: unknown, at: SdPath, field: string): SdRole {
  if (raw === undefined || raw === '') throw invalid(at, field, 'role missing (one of: pod, service, endpoints, node)');
  if (typeof raw === 'string' && (ROLES as readonly string[]).includes(raw)) return raw as SdRole;
  if (typeof raw === 'string' && OTHER_ROLES.includes(raw)) throw invalid(at, field, `role ${raw} is not served by prometheus-sd (pod, service, endpoints, node)`, raw);
  throw invalid(at, field, 'unknown Kubernetes SD role (one of: pod, service, endpoints, node)', raw);
}

function parseNamespaces(raw: unknown, at: SdPath, ownNamespace: string | undefined): string[] {
  if (raw === undefined || raw === null) return [];
  if (!isRecord(raw)) throw invalid(at, 'namespaces', 'should be a mapping with names and own_namespace', raw);
  for (const key of Object.keys(raw)) if (key !== 'names' && key !== 'own_namespace') throw invalid(at, `namespaces.${key}`, 'unknown field');
  const names = raw['names'] ?? [];
  if (!Array.isArray(names) || !names.every((n): n is string => typeof n === 'string')) throw invalid(at, 'namespaces.names', 'should be a list of namespace names', names);
  const own = raw['own_namespace'] ?? false;
  if (typeof own !== 'boolean') throw invalid(at, 'namespaces.own_namespace', 'should be true or false', own);
  if (!own) return [...new Set(names)];
  if (ownNamespace === undefined) throw invalid(at, 'namespaces.own_namespace', 'the adapter does not know its own namespace (no service account namespace file, no --namespace)');
  return [...new Set([...names, ownNamespace])];
}

function parseSelectors(raw: unknown, role: SdRole, at: SdPath): SdSelector[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw invalid(at, 'selectors', 'should be a list', raw);
  // Prometheus: an endpoints discovery also watches its pods and services; other roles select only themselves.
  const allowed: readonly SdRole[] = role === 'endpoints' ? ['endpoints', 'pod', 'service'] : [role];
  const seen = new Set<SdRole>();
  return raw.map((s: unknown, i) => {
    const field = `selectors[${i}]`;
    if (!isRecord(s)) throw invalid(at, field, 'should be a mapping with role, label and field', s);
    for (const key of Object.keys(s)) if (!['role', 'label', 'field'].includes(key)) throw invalid(at, `${field}.${key}`, 'unknown field');
    const selRole = parseRole(s['role'], at, `${field}.role`);
    if (!allowed.includes(selRole)) throw invalid(at, `${field}.role`, `${selRole} is not a valid selector role for a ${role} discovery (allowed: ${allowed.join(', ')})`, selRole);
    if (seen.has(selRole)) throw invalid(at, `${field}.role`, `duplicated selector role: ${selRole}`, selRole);
    seen.add(selRole);
    const label = s['label'];
    const fieldSel = s['field'];
    if (label !== undefined && typeof label !== 'string') throw invalid(at, `${field}.label`, 'should be a label selector string', label);
    if (fieldSel !== undefined && typeof fieldSel !== 'string') throw invalid(at, `${field}.field`, 'should be a field selector string', fieldSel);
    return { role: selRole, ...(label === undefined ? {} : { label }), ...(fieldSel === undefined ? {} : { field: fieldSel }) };
  });
}

/** Validate one entry; `ownNamespace` resolves `namespaces.own_namespace`. */
export function parseKubeDiscovery(raw: unknown, at: SdPath, ownNamespace: string | undefined): KubeDiscovery {
  if (!isRecord(raw)) throw invalid(at, 'role', 'the entry should be a mapping', raw);
  for (const key of Object.keys(raw)) {
    if (!['role', 'namespaces', 'selectors'].includes(key)) {
      throw invalid(at, key, 'not supported by prometheus-sd (it reaches the API server with its own service account; fields served: role, namespaces, selectors)');
    }
  }
  const role = parseRole(raw['role'], at, 'role');
  return { role, namespaces: parseNamespaces(raw['namespaces'], at, ownNamespace), selectors: parseSelectors(raw['selectors'], role, at) };
}

/** Equal discoveries share one target file. */
export function discoveryKey(d: KubeDiscovery): string {
  const selectors = [...d.selectors].sort((a, b) => a.role.localeCompare(b.role));
  return JSON.stringify([d.role, [...d.namespaces].sort(), selectors.map((s) => [s.role, s.label ?? '', s.field ?? ''])]);
}
