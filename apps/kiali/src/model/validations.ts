/**
 * Kiali's validation objects from `trellis analyze` (the control plane's analyzers: IST codes) and
 * Kiali's own Service port check (KIA0601). Each finding becomes a check on the object it names,
 * with the analyzer's level as the severity; an object with an error check is not valid.
 */
import type { ReportedAnalysisMessage } from '@trellis/mesh-config';
import type { InventoryService, InventoryWorkload } from '@trellis/kiali-traffic';
import { selects } from './lists';
import { objectTypeByKind } from './object-types';

export type Severity = 'error' | 'warning' | 'info';

export interface ObjectCheck {
  code: string;
  message: string;
  severity: Severity;
  path: string;
}

export interface ObjectValidation {
  name: string;
  objectType: string;
  valid: boolean;
  checks: ObjectCheck[];
  references: { objectType: string; name: string; namespace: string }[];
}

/** `{<objectType>: {<name>: ObjectValidation}}` */
export type Validations = Record<string, Record<string, ObjectValidation>>;

const SEVERITY: Readonly<Record<string, Severity>> = { Error: 'error', Warning: 'warning', Info: 'info' };

/** `VirtualService default/reviews` → its parts; undefined for an origin of another shape. */
export function parseOrigin(origin: string): { kind: string; namespace: string; name: string } | undefined {
  const m = /^(\w+) ([^/\s]+)\/(\S+)$/.exec(origin);
  return m === null ? undefined : { kind: m[1] ?? '', namespace: m[2] ?? '', name: m[3] ?? '' };
}

export function emptyValidation(objectType: string, name: string): ObjectValidation {
  return { name, objectType, valid: true, checks: [], references: [] };
}

function add(into: Validations, objectType: string, name: string, check: ObjectCheck): void {
  const byName = (into[objectType] ??= {});
  const v = (byName[name] ??= emptyValidation(objectType, name));
  v.checks.push(check);
  if (check.severity === 'error') v.valid = false;
}

/** The analyzer's messages about objects of `namespace`, as Kiali validations. */
export function validationsFromAnalysis(messages: readonly ReportedAnalysisMessage[], namespace: string): Validations {
  const out: Validations = {};
  for (const msg of messages) {
    const origin = parseOrigin(msg.origin);
    if (origin === undefined || origin.namespace !== namespace) continue;
    const objectType = objectTypeByKind(origin.kind)?.validationKey ?? origin.kind.toLowerCase();
    add(out, objectType, origin.name, { code: msg.code, message: msg.message, severity: SEVERITY[msg.level] ?? 'info', path: '' });
  }
  return out;
}

const PORT_PROTOCOLS = ['grpc', 'http', 'http2', 'https', 'mongo', 'redis', 'tcp', 'tls', 'udp', 'mysql'];

/** Istio's port naming: `<protocol>` or `<protocol>-<suffix>`. */
export function portNameFollowsConvention(name: string): boolean {
  const lower = name.toLowerCase();
  return PORT_PROTOCOLS.some((p) => lower === p || lower.startsWith(p + '-'));
}


/**
 * One validation per Service (the Services page reads `validations.service[name]` for every row): an
 * error on each port whose name breaks the convention, when a pod with a sidecar backs the Service
 * (UDP ports are exempt), as Kiali's PortMappingChecker.
 */
export function serviceValidations(services: readonly InventoryService[], workloads: readonly InventoryWorkload[]): Record<string, ObjectValidation> {
  const out: Record<string, ObjectValidation> = {};
  for (const svc of services) {
    const v = emptyValidation('service', svc.name);
    const meshed = workloads.some((w) => w.namespace === svc.namespace && w.sidecar && selects(svc.selector, w.labels));
    svc.ports.forEach((port, i) => {
      if (!meshed || port.protocol.toUpperCase() === 'UDP' || portNameFollowsConvention(port.name)) return;
      v.checks.push({ code: 'KIA0601', message: 'KIA0601 Port name must follow <protocol>[-suffix] form', severity: 'error', path: `spec/ports[${i}]` });
      v.valid = false;
    });
    out[svc.name] = v;
  }
  return out;
}

/** `api/namespaces/{ns}/validations`: counts over the namespace's validations. */
export function validationSummary(validations: Validations, objectCount: number): { errors: number; warnings: number; objectCount: number } {
  let errors = 0;
  let warnings = 0;
  for (const byName of Object.values(validations)) {
    for (const v of Object.values(byName)) {
      errors += v.checks.filter((c) => c.severity === 'error').length;
      warnings += v.checks.filter((c) => c.severity === 'warning').length;
    }
  }
  return { errors, warnings, objectCount };
}
