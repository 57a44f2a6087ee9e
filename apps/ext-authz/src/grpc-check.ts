import path from 'node:path';
import { Server, ServerCredentials, loadPackageDefinition, type GrpcObject, type ServiceDefinition, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { GrpcCode, type Logger } from '@trellis/shared';
import { DENY_BODY, OVERRIDE_GRPC_VALUE, OVERRIDE_HEADER, RECEIVED_HEADER, RESULT_ALLOWED, RESULT_HEADER, grpcVerdict, returnIfNotTooLong, type Verdict } from './check';
import { protoText } from './proto-text';

/** The part of envoy.service.auth.v3.CheckRequest the server reads (the rest is only printed). */
export interface CheckRequest {
  readonly attributes?: {
    readonly source?: { readonly principal?: string };
    readonly request?: { readonly http?: { readonly host?: string; readonly path?: string; readonly headers?: Readonly<Record<string, string>> } };
  };
}

interface HeaderValueOption {
  readonly header: { readonly key: string; readonly value: string };
}

/** envoy.service.auth.v3.CheckResponse as the Go server fills it. */
export interface CheckResponse {
  readonly status: { readonly code: number };
  readonly ok_response?: { readonly headers: readonly HeaderValueOption[] };
  readonly denied_response?: { readonly status: { readonly code: number }; readonly body: string; readonly headers: readonly HeaderValueOption[] };
}

const HTTP_FORBIDDEN = 403;
const PROTO = 'envoy/service/auth/v3/external_auth.proto';

/** envoy.service.auth.v3.Authorization from the Envoy protos grpc-js-xds ships (`deps/`). */
export function authorizationService(): ServiceDefinition {
  const deps = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const definition = loadSync(PROTO, {
    keepCase: true, longs: Number, enums: Number, defaults: false, oneofs: false,
    includeDirs: ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((d) => path.join(deps, d)),
  });
  const pkg = loadPackageDefinition(definition);
  const auth = ((((pkg['envoy'] as GrpcObject)['service'] as GrpcObject)['auth'] as GrpcObject)['v3'] as GrpcObject)['Authorization'] as { service: ServiceDefinition };
  return auth.service;
}

/** The v3 Check answer for a request: the verdict, OK or PERMISSION_DENIED, and the headers main.go sets. */
export function checkResponse(request: CheckRequest, allowServiceAccount: string): { verdict: Verdict; response: CheckResponse } {
  const attrs = request.attributes ?? {};
  const verdict = grpcVerdict(attrs.request?.http?.headers ?? {}, attrs.source?.principal, allowServiceAccount);
  const headers = [
    { header: { key: RESULT_HEADER, value: verdict } },
    { header: { key: RECEIVED_HEADER, value: returnIfNotTooLong(protoText(attrs)) } },
    { header: { key: OVERRIDE_HEADER, value: OVERRIDE_GRPC_VALUE } },
  ];
  const response: CheckResponse =
    verdict === RESULT_ALLOWED
      ? { status: { code: GrpcCode.OK }, ok_response: { headers } }
      : { status: { code: GrpcCode.PERMISSION_DENIED }, denied_response: { status: { code: HTTP_FORBIDDEN }, body: DENY_BODY, headers } };
  return { verdict, response };
}

/** A grpc-js server with Authorization/Check registered (not yet bound). */
export function createGrpcCheckServer(logger: Logger, allowServiceAccount: string): Server {
  const server = new Server();
  server.addService(authorizationService(), {
    Check: (call: ServerUnaryCall<CheckRequest, CheckResponse>, callback: sendUnaryData<CheckResponse>) => {
      const { verdict, response } = checkResponse(call.request, allowServiceAccount);
      const http = call.request.attributes?.request?.http;
      logger.info(`[gRPCv3][${verdict}]: ${http?.host ?? ''}${http?.path ?? ''}, attributes: ${protoText(call.request.attributes ?? {})}`);
      callback(null, response);
    },
  });
  return server;
}

/** Binds `host:port` (port 0: the kernel picks) and resolves the bound port. */
export function bindGrpc(server: Server, host: string, port: number): Promise<number> {
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (err, bound) => (err === null ? resolve(bound) : reject(err)));
  });
}
