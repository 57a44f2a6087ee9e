import * as grpc from '@grpc/grpc-js';
import { caServiceDefinition, type IstioCertificateRequest, type IstioCertificateResponse } from '../server/ca-proto';

export interface CaClientOptions {
  /** `host:port` of the CA (istiod: `istiod.istio-system.svc:15012`). */
  readonly address: string;
  /** PEM root(s) that verify the CA server (the `istio-ca-root-cert` ConfigMap's `root-cert.pem`). */
  readonly rootPem: string;
  /** Name checked against the server certificate when `address` is an IP (default `istiod.istio-system.svc`). */
  readonly serverName?: string;
}

export interface CertificateRequest {
  readonly csrPem: string;
  /** Bearer token (ServiceAccount JWT, or a local workload token). */
  readonly token?: string;
  readonly validitySeconds?: number;
  readonly deadlineMs?: number;
}

export interface CaClient {
  /** Istio's `cert_chain`: leaf first, root last. Rejects with the gRPC ServiceError. */
  createCertificate(request: CertificateRequest): Promise<string[]>;
  close(): void;
}

type Unary = (req: Partial<IstioCertificateRequest>, md: grpc.Metadata, opts: grpc.CallOptions, cb: grpc.requestCallback<IstioCertificateResponse>) => void;

/** A grpc-js client of `IstioCertificateService` over TLS (what pilot-agent does with its CSR). */
export function createCaClient(options: CaClientOptions): CaClient {
  const Client = grpc.makeGenericClientConstructor(caServiceDefinition(), 'IstioCertificateService');
  const channelOptions = { 'grpc.ssl_target_name_override': options.serverName ?? 'istiod.istio-system.svc' };
  const client = new Client(options.address, grpc.credentials.createSsl(Buffer.from(options.rootPem)), channelOptions);
  const call = (client as unknown as { CreateCertificate: Unary }).CreateCertificate.bind(client);
  return {
    createCertificate: (request) =>
      new Promise<string[]>((resolve, reject) => {
        const md = new grpc.Metadata();
        if (request.token !== undefined) md.set('authorization', `Bearer ${request.token}`);
        const deadline = Date.now() + (request.deadlineMs ?? 10_000);
        call({ csr: request.csrPem, validity_duration: request.validitySeconds ?? 0 }, md, { deadline }, (err, res) => (err ? reject(err) : resolve(res?.cert_chain ?? [])));
      }),
    close: () => client.close(),
  };
}
