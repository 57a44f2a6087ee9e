import { bool, labels, obj, str, uint32, double, int32, type JsonSchema } from './json-schema';

export const stringMatch = (): JsonSchema =>
  obj(
    {
      exact: str({ description: 'exact string match' }),
      prefix: str({ description: 'prefix-based match' }),
      regex: str({ description: 'RE2 style regex-based match' }),
    },
    [],
    'Describes how to match a given string in HTTP headers.',
  );

export const percent = (): JsonSchema => obj({ value: double({ minimum: 0, maximum: 100 }) }, [], 'Percentage of requests.');

export const portSelector = (): JsonSchema =>
  obj({ number: uint32({ description: 'Valid port number', maximum: 65535 }) }, [], 'Specifies the port on the host.');

export const workloadSelector = (description = 'Criteria used to select the specific set of pods/VMs.'): JsonSchema =>
  obj({ matchLabels: labels('One or more labels that indicate a specific set of pods/VMs.') }, [], description);

/** Sidecar's, ServiceEntry's and EnvoyFilter's selector (networking.v1alpha3 WorkloadSelector): `labels`. */
export const labelsSelector = (description = 'Criteria used to select the specific set of pods/VMs.'): JsonSchema =>
  obj({ labels: labels('One or more labels that indicate a specific set of pods/VMs on which the configuration should be applied.') }, [], description);

export const destination = (): JsonSchema =>
  obj(
    {
      host: str({ description: 'The name of a service from the service registry.' }),
      subset: str({ description: 'The name of a subset within the service.' }),
      port: portSelector(),
    },
    ['host'],
    'Destination uniquely identifies the instances of a service to which the request/connection should be forwarded to.',
  );

export const port = (): JsonSchema =>
  obj(
    {
      number: uint32({ description: 'A valid non-negative integer port number.', maximum: 65535 }),
      protocol: str({ description: 'The protocol exposed on the port.' }),
      name: str({ description: 'Label assigned to the port.' }),
      targetPort: uint32({ maximum: 65535 }),
    },
    ['number', 'name', 'protocol'],
  );

export const targetRef = (): JsonSchema =>
  obj({ group: str(), kind: str(), name: str(), namespace: str() }, ['kind', 'name']);

export { bool, int32 };
