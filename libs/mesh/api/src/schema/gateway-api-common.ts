import { arr, int32, labels, obj, str, type JsonSchema } from './json-schema';

/** Upstream's (Gateway API standard channel) field patterns and limits, shared by every kind. */
export const GROUP_PATTERN = '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
export const KIND_PATTERN = '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$';
export const SECTION_NAME_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
export const NAMESPACE_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
export const HOSTNAME_PATTERN = '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
export const HEADER_NAME_PATTERN = "^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$";
export const GATEWAY_API_DURATION_PATTERN = '^([0-9]{1,5}(h|m|s|ms)){1,4}$';
export const CONTROLLER_NAME_PATTERN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9\\/\\-._~%!$&'()*+,;=:]+$";

export const group = (): JsonSchema => str({ maxLength: 253, pattern: GROUP_PATTERN });
export const kindName = (): JsonSchema => str({ minLength: 1, maxLength: 63, pattern: KIND_PATTERN });
export const objectName = (): JsonSchema => str({ minLength: 1, maxLength: 253 });
export const namespaceName = (): JsonSchema => str({ minLength: 1, maxLength: 63, pattern: NAMESPACE_PATTERN });
export const sectionName = (): JsonSchema => str({ minLength: 1, maxLength: 253, pattern: SECTION_NAME_PATTERN });
export const hostname = (): JsonSchema => str({ minLength: 1, maxLength: 253, pattern: HOSTNAME_PATTERN });
export const portNumber = (): JsonSchema => int32({ minimum: 1, maximum: 65535 });
export const headerName = (): JsonSchema => str({ minLength: 1, maxLength: 256, pattern: HEADER_NAME_PATTERN });
export const gatewayDuration = (): JsonSchema => str({ pattern: GATEWAY_API_DURATION_PATTERN });

export const labelSelector = (): JsonSchema =>
  obj({
    matchLabels: labels(),
    matchExpressions: arr(
      obj({ key: str(), operator: { type: 'string', enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }, values: arr(str()) }, ['key', 'operator']),
    ),
  });

/** ParentReference: a Gateway (default) or, for mesh routes, a Service. */
export const parentReference = (): JsonSchema =>
  obj({ group: group(), kind: kindName(), namespace: namespaceName(), name: objectName(), sectionName: sectionName(), port: portNumber() }, ['name']);

/** BackendObjectReference (a Service by default). */
export const backendObjectReference = (): JsonSchema =>
  obj({ group: group(), kind: kindName(), name: objectName(), namespace: namespaceName(), port: portNumber() }, ['name']);
