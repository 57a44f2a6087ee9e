import { arr, bool, enumOf, labels, mapOf, obj, str, strictSchema, int32, type JsonSchema } from '../schema/json-schema';
import { compiled } from './ajv-instance';
import { toProblems, type FieldProblem } from './ajv-errors';

const port = (): JsonSchema => int32({ minimum: 0, maximum: 65535 });

export const meshServiceSchema = (): JsonSchema =>
  strictSchema(
    obj(
      {
        name: str({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }),
        namespace: str({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }),
        hostname: str({ pattern: '^[a-z0-9*]([-a-z0-9.]*[a-z0-9])?$' }),
        ports: arr(
          obj(
            { name: str(), port: port(), targetPort: port(), protocol: enumOf(['HTTP', 'HTTP2', 'GRPC', 'TCP', 'HTTPS', 'TLS', 'AUTO']) },
            ['name', 'port', 'targetPort', 'protocol'],
          ),
        ),
        selector: labels(),
        address: str(),
        labels: labels(),
        exportTo: arr(str({ pattern: '^([.*~]|[a-z0-9]([-a-z0-9]*[a-z0-9])?)$' })),
      },
      ['name', 'namespace', 'hostname', 'ports', 'selector'],
    ),
  );

export const workloadInstanceSchema = (): JsonSchema =>
  strictSchema(
    obj(
      {
        name: str({ pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' }),
        namespace: str({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }),
        address: str({ maxLength: 256 }),
        ports: mapOf(port()),
        labels: labels(),
        serviceAccount: str(),
        sidecar: bool(),
        ready: bool(),
      },
      ['name', 'namespace', 'address', 'labels', 'serviceAccount', 'sidecar', 'ready'],
    ),
  );

/** Field problems of a MeshService body (empty = valid). */
export function validateMeshService(value: unknown): FieldProblem[] {
  const fn = compiled('registry:MeshService', meshServiceSchema);
  fn(value);
  return toProblems(fn.errors, value);
}

/** Field problems of a WorkloadInstance body (empty = valid). */
export function validateWorkloadInstance(value: unknown): FieldProblem[] {
  const fn = compiled('registry:WorkloadInstance', workloadInstanceSchema);
  fn(value);
  return toProblems(fn.errors, value);
}
