import { destination, percent, stringMatch } from './common';
import { arr, bool, duration, enumOf, int32, labels, mapOf, obj, str, strings, uint32, type JsonSchema } from './json-schema';

const headerOperations = (): JsonSchema => obj({ set: labels(), add: labels(), remove: strings() });
const headers = (): JsonSchema => obj({ request: headerOperations(), response: headerOperations() });

const httpMatch = (): JsonSchema =>
  obj({
    name: str({ description: 'The name assigned to a match.' }),
    uri: stringMatch(),
    scheme: stringMatch(),
    method: stringMatch(),
    authority: stringMatch(),
    headers: mapOf(stringMatch(), 'The header keys must be lowercase and use hyphen as the separator.'),
    port: uint32({ maximum: 65535 }),
    sourceLabels: labels(),
    gateways: strings({ description: 'Names of gateways where the rule should be applied.' }),
    queryParams: mapOf(stringMatch()),
    ignoreUriCase: bool(),
    withoutHeaders: mapOf(stringMatch()),
    sourceNamespace: str(),
    statPrefix: str(),
  });

const httpRouteDestination = (): JsonSchema =>
  obj(
    {
      destination: destination(),
      weight: int32({ minimum: 0, maximum: 100, description: 'Weight specifies the relative proportion of traffic to be forwarded to the destination.' }),
      headers: headers(),
    },
    ['destination'],
  );

const fault = (): JsonSchema =>
  obj({
    delay: obj({ fixedDelay: duration('Add a fixed delay before forwarding the request.'), exponentialDelay: duration(), percentage: percent(), percent: int32({ minimum: 0, maximum: 100 }) }),
    abort: obj({ httpStatus: int32({ minimum: 200, maximum: 599 }), grpcStatus: str(), http2Error: str(), percentage: percent() }),
  });

const redirect = (): JsonSchema =>
  obj({
    uri: str(),
    authority: str(),
    port: uint32({ maximum: 65535 }),
    derivePort: enumOf(['FROM_PROTOCOL_DEFAULT', 'FROM_REQUEST_PORT']),
    scheme: str(),
    redirectCode: uint32(),
  });

const corsPolicy = (): JsonSchema =>
  obj({
    allowOrigins: arr(stringMatch()),
    allowOrigin: strings(),
    allowMethods: strings(),
    allowHeaders: strings(),
    exposeHeaders: strings(),
    maxAge: duration(),
    allowCredentials: bool(),
    unmatchedPreflights: enumOf(['UNSPECIFIED', 'FORWARD', 'IGNORE']),
  });

const httpRoute = (): JsonSchema =>
  obj({
    name: str({ description: 'The name assigned to the route for debugging purposes.' }),
    match: arr(httpMatch()),
    route: arr(httpRouteDestination(), { description: 'A HTTP rule can either return a direct_response, redirect or forward (default) traffic.' }),
    redirect: redirect(),
    directResponse: obj({ status: uint32(), body: obj({ string: str(), bytes: str({ format: 'byte' }) }) }, ['status']),
    delegate: obj({ name: str(), namespace: str() }),
    rewrite: obj({ uri: str(), authority: str(), uriRegexRewrite: obj({ match: str(), rewrite: str() }) }),
    timeout: duration('Timeout for HTTP requests, default is disabled.'),
    retries: obj({ attempts: int32({ minimum: 0 }), perTryTimeout: duration(), retryOn: str(), retryRemoteLocalities: bool() }),
    fault: fault(),
    mirror: destination(),
    mirrors: arr(obj({ destination: destination(), percentage: percent() }, ['destination'])),
    mirrorPercent: uint32({ maximum: 100 }),
    mirrorPercentage: percent(),
    corsPolicy: corsPolicy(),
    headers: headers(),
  });

const routeDestination = (): JsonSchema => obj({ destination: destination(), weight: int32({ minimum: 0, maximum: 100 }) }, ['destination']);

const l4Match = (): JsonSchema =>
  obj({ destinationSubnets: strings(), port: uint32({ maximum: 65535 }), sourceLabels: labels(), gateways: strings(), sourceNamespace: str(), sourceSubnet: str() });

const tlsMatch = (): JsonSchema => {
  const base = l4Match();
  return obj({ ...base.properties, sniHosts: strings({ minItems: 1 }) }, ['sniHosts']);
};

export const virtualServiceSpec = (): JsonSchema =>
  obj(
    {
      hosts: strings({ description: 'The destination hosts to which traffic is being sent.' }),
      gateways: strings({ description: 'The names of gateways and sidecars that should apply these routes.' }),
      http: arr(httpRoute(), { description: 'An ordered list of route rules for HTTP traffic.' }),
      tls: arr(obj({ match: arr(tlsMatch()), route: arr(routeDestination()) }, ['match'])),
      tcp: arr(obj({ match: arr(l4Match()), route: arr(routeDestination()) })),
      exportTo: strings({ description: 'A list of namespaces to which this virtual service is exported.' }),
    },
    [],
    'Configuration affecting label/content routing, sni routing, etc. See more details at: https://istio.io/docs/reference/config/networking/virtual-service.html',
  );
