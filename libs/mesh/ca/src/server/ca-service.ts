import type * as grpc from '@grpc/grpc-js';
import { isTrellisError, type Logger } from '@trellis/shared';
import { authenticateCaller, type Authenticator } from '../auth/authenticator';
import type { CertificateAuthority } from '../ca/certificate-authority';
import { CaErrorCode, caError } from '../errors';
import type { IstioCertificateRequest, IstioCertificateResponse } from './ca-proto';
import { toGrpcError } from './grpc-status';

/** Metadata keys Istio's node agents use to sign for another identity; Trellis trusts no node agent. */
const IMPERSONATION_KEYS = ['ImpersonatedIdentity', 'CertSigner'];

export interface CaServiceOptions {
  readonly ca: CertificateAuthority;
  readonly authenticators: readonly Authenticator[];
  readonly logger: Logger;
}

type Call = grpc.ServerUnaryCall<IstioCertificateRequest, IstioCertificateResponse>;
type Callback = grpc.sendUnaryData<IstioCertificateResponse>;

function metadataValue(call: Call, key: string): string | undefined {
  const v = call.metadata.get(key)[0];
  return v === undefined ? undefined : String(v);
}

async function createCertificate(options: CaServiceOptions, call: Call): Promise<IstioCertificateResponse> {
  const caller = await authenticateCaller(options.authenticators, { authorization: metadataValue(call, 'authorization'), peer: call.getPeer() });
  const fields = call.request.metadata?.fields ?? {};
  const asked = IMPERSONATION_KEYS.filter((k) => fields[k] !== undefined);
  if (asked.length > 0) throw caError(CaErrorCode.identityMismatch, 'impersonation and custom signers are not supported', { metadata: asked, caller: caller.identities });
  const chain = options.ca.sign({ csrPem: call.request.csr, identities: caller.identities, ttlSeconds: Number(call.request.validity_duration) || 0 });
  options.logger.info({ identities: caller.identities, authenticator: caller.authenticator, peer: call.getPeer() }, 'CA signed a workload certificate');
  return { cert_chain: chain };
}

/** `istio.v1.auth.IstioCertificateService` handlers (Istio's server.go CreateCertificate flow). */
export function caServiceHandlers(options: CaServiceOptions): grpc.UntypedServiceImplementation {
  return {
    CreateCertificate: (call: Call, callback: Callback) => {
      createCertificate(options, call).then(
        (response) => callback(null, response),
        (err: unknown) => {
          const status = toGrpcError(err);
          options.logger.warn({ peer: call.getPeer(), code: isTrellisError(err) ? err.code : undefined, details: status.details }, 'CA refused a certificate request');
          callback(status, null);
        },
      );
    },
  };
}
