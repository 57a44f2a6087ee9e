import { arr, enumOf, labels, mapOf, obj, str, type JsonSchema } from './json-schema';
import {
  CONTROLLER_NAME_PATTERN,
  group,
  hostname,
  kindName,
  labelSelector,
  namespaceName,
  objectName,
  portNumber,
  sectionName,
} from './gateway-api-common';

/** GatewayClass spec (gateway.networking.k8s.io/v1). */
export function gatewayClassSpec(): JsonSchema {
  return obj(
    {
      controllerName: str({ minLength: 1, maxLength: 253, pattern: CONTROLLER_NAME_PATTERN }),
      parametersRef: obj({ group: group(), kind: kindName(), name: objectName(), namespace: namespaceName() }, ['group', 'kind', 'name']),
      description: str({ maxLength: 64 }),
    },
    ['controllerName'],
  );
}

const listener = (): JsonSchema =>
  obj(
    {
      name: sectionName(),
      hostname: hostname(),
      port: portNumber(),
      protocol: str({ minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9]+$' }),
      tls: obj({
        mode: enumOf(['Terminate', 'Passthrough']),
        certificateRefs: arr(obj({ group: group(), kind: kindName(), name: objectName(), namespace: namespaceName() }, ['name']), { maxItems: 64 }),
        options: mapOf(str({ maxLength: 4096 })),
      }),
      allowedRoutes: obj({
        namespaces: obj({ from: enumOf(['All', 'Selector', 'Same']), selector: labelSelector() }),
        kinds: arr(obj({ group: group(), kind: kindName() }, ['kind']), { maxItems: 8 }),
      }),
    },
    ['name', 'port', 'protocol'],
  );

/** Gateway spec (gateway.networking.k8s.io/v1). */
export function kubernetesGatewaySpec(): JsonSchema {
  return obj(
    {
      gatewayClassName: objectName(),
      listeners: arr(listener(), { minItems: 1, maxItems: 64 }),
      addresses: arr(obj({ type: str({ minLength: 1, maxLength: 253 }), value: str({ minLength: 1, maxLength: 253 }) }, ['value']), { maxItems: 16 }),
      infrastructure: obj({
        labels: labels(),
        annotations: labels(),
        parametersRef: obj({ group: group(), kind: kindName(), name: objectName() }, ['group', 'kind', 'name']),
      }),
    },
    ['gatewayClassName', 'listeners'],
  );
}

/** ReferenceGrant spec (gateway.networking.k8s.io/v1beta1). */
export function referenceGrantSpec(): JsonSchema {
  return obj(
    {
      from: arr(obj({ group: group(), kind: kindName(), namespace: namespaceName() }, ['group', 'kind', 'namespace']), { minItems: 1, maxItems: 16 }),
      to: arr(obj({ group: group(), kind: kindName(), name: objectName() }, ['group', 'kind']), { minItems: 1, maxItems: 16 }),
    },
    ['from', 'to'],
  );
}
