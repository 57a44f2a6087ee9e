import { arr, enumOf, int32, obj, str, strings, type JsonSchema } from './json-schema';
import {
  backendObjectReference,
  gatewayDuration,
  group,
  headerName,
  hostname,
  kindName,
  objectName,
  parentReference,
  portNumber,
} from './gateway-api-common';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'];

const valueMatch = (): JsonSchema =>
  obj({ type: enumOf(['Exact', 'RegularExpression']), name: headerName(), value: str({ maxLength: 4096 }) }, ['name', 'value']);

const match = (): JsonSchema =>
  obj({
    path: obj({ type: enumOf(['Exact', 'PathPrefix', 'RegularExpression']), value: str({ maxLength: 1024 }) }),
    headers: arr(valueMatch(), { maxItems: 16 }),
    queryParams: arr(valueMatch(), { maxItems: 16 }),
    method: enumOf(METHODS),
  });

const headerFilter = (): JsonSchema => {
  const header = obj({ name: headerName(), value: str({ minLength: 1, maxLength: 4096 }) }, ['name', 'value']);
  return obj({ set: arr(header, { maxItems: 16 }), add: arr(header, { maxItems: 16 }), remove: strings({ maxItems: 16 }) });
};

const pathModifier = (): JsonSchema =>
  obj(
    { type: enumOf(['ReplaceFullPath', 'ReplacePrefixMatch']), replaceFullPath: str({ maxLength: 1024 }), replacePrefixMatch: str({ maxLength: 1024 }) },
    ['type'],
  );

export const httpRouteFilter = (): JsonSchema =>
  obj(
    {
      type: enumOf(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestMirror', 'RequestRedirect', 'URLRewrite', 'ExtensionRef']),
      requestHeaderModifier: headerFilter(),
      responseHeaderModifier: headerFilter(),
      requestMirror: obj(
        {
          backendRef: backendObjectReference(),
          percent: int32({ minimum: 0, maximum: 100 }),
          fraction: obj({ numerator: int32({ minimum: 0 }), denominator: int32({ minimum: 1 }) }, ['numerator']),
        },
        ['backendRef'],
      ),
      requestRedirect: obj({
        scheme: enumOf(['http', 'https']),
        hostname: hostname(),
        path: pathModifier(),
        port: portNumber(),
        statusCode: { type: 'integer', enum: [301, 302] },
      }),
      urlRewrite: obj({ hostname: hostname(), path: pathModifier() }),
      extensionRef: obj({ group: group(), kind: kindName(), name: objectName() }, ['group', 'kind', 'name']),
    },
    ['type'],
  );

const backendRef = (): JsonSchema => {
  const ref = backendObjectReference();
  return obj({ ...ref.properties, weight: int32({ minimum: 0, maximum: 1000000 }), filters: arr(httpRouteFilter(), { maxItems: 16 }) }, ['name']);
};

/** HTTPRoute spec (gateway.networking.k8s.io/v1). */
export function httpRouteSpec(): JsonSchema {
  return obj({
    parentRefs: arr(parentReference(), { maxItems: 32 }),
    hostnames: arr(hostname(), { maxItems: 16 }),
    rules: arr(
      obj({
        name: str({ minLength: 1, maxLength: 253 }),
        matches: arr(match(), { maxItems: 64 }),
        filters: arr(httpRouteFilter(), { maxItems: 16 }),
        backendRefs: arr(backendRef(), { maxItems: 16 }),
        timeouts: obj({ request: gatewayDuration(), backendRequest: gatewayDuration() }),
      }),
      { maxItems: 16 },
    ),
  });
}
