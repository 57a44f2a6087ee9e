import path from 'node:path';
import { type GrpcObject, type ServiceDefinition, loadPackageDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/**
 * A gRPC service of Envoy's APIs (`envoy.service.ratelimit.v3.RateLimitService`,
 * `envoy.service.auth.v3.Authorization`) for a grpc-js server or client, from the Envoy protos
 * @grpc/grpc-js-xds ships (`deps/`): snake_case fields, enums as names, 64-bit numbers as numbers.
 */
export function envoyGrpcService(protoFile: string, serviceName: string): ServiceDefinition {
  const deps = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const definition = loadSync(protoFile, {
    keepCase: true, longs: Number, enums: String, defaults: false, oneofs: false,
    includeDirs: ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => path.join(deps, d)),
  });
  const service = serviceName.split('.').reduce<unknown>((o, part) => (o as GrpcObject | undefined)?.[part], loadPackageDefinition(definition)) as { service?: ServiceDefinition } | undefined;
  if (service?.service === undefined) throw new Error(`${serviceName} is not defined by ${protoFile}`);
  return service.service;
}
