import * as http2 from 'node:http2';
import { checkServerIdentity } from 'node:tls';
import { errorMessage, GrpcCode, grpcCodeName, isTrellisError, type TrellisError } from '@trellis/shared';
import { decodeCertificateResponse, encodeCertificateRequest } from './ca-wire';
import { AgentErrorCode, agentError } from './errors';

/** istio/api's method path (`security/v1alpha1/ca.proto`). */
export const CREATE_CERTIFICATE_PATH = '/istio.v1.auth.IstioCertificateService/CreateCertificate';

export interface CaTransportOptions {
  /** `host:port` of the CA (`CA_ADDR`, istiod: `istiod.istio-system.svc:15012`). */
  readonly address: string;
  /**
   * PEM root(s) that verify the CA's serving certificate (`istio-ca-root-cert`'s `root-cert.pem`), read
   * for every call so a re-published root is picked up; throws `AGENT_ROOT_UNREADABLE`.
   */
  readonly rootPem: () => Promise<string>;
  /** Name to verify instead of the address' host (default: the host itself, DNS name or IP). */
  readonly serverName?: string;
}

export interface CertificateCall {
  readonly csrPem: string;
  /** Bearer credential: a ServiceAccount JWT or a local workload token. */
  readonly token: string | undefined;
  readonly validitySeconds: number;
  readonly deadlineMs: number;
}

/** The agent's side of `IstioCertificateService`: one unary call, Istio's `cert_chain` (leaf first). */
export interface CaTransport {
  createCertificate(call: CertificateCall): Promise<string[]>;
}

function frame(message: Buffer): Buffer {
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

function unframe(body: Buffer): Buffer {
  if (body.length < 5 || body[0] !== 0) throw new Error('not one uncompressed gRPC message');
  const length = body.readUInt32BE(1);
  if (body.length < 5 + length) throw new Error('truncated gRPC message');
  return body.subarray(5, 5 + length);
}

const unavailable = (address: string, reason: string, cause?: unknown): TrellisError => agentError(AgentErrorCode.caUnavailable, 'CA is unreachable', { address, reason }, cause);

function statusError(address: string, code: number, details: string): TrellisError {
  if (code === GrpcCode.UNAVAILABLE || code === GrpcCode.DEADLINE_EXCEEDED) return unavailable(address, `${grpcCodeName(code)}: ${details}`);
  return agentError(AgentErrorCode.caRejected, 'CA refused the certificate request', { address, grpcStatus: grpcCodeName(code), details });
}

function decodeDetails(raw: string | string[] | undefined): string {
  if (typeof raw !== 'string') return '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

interface Reply {
  /** Response headers and trailers together (a trailers-only answer has grpc-status in its headers). */
  readonly headers: http2.IncomingHttpHeaders;
  readonly body: Buffer;
}

function exchange(session: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders, body: Buffer): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    const stream = session.request(headers);
    const chunks: Buffer[] = [];
    let got: http2.IncomingHttpHeaders = {};
    stream.on('response', (h) => (got = h));
    stream.on('trailers', (t) => (got = { ...got, ...t }));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('close', () => resolve({ headers: got, body: Buffer.concat(chunks) }));
    stream.end(body);
  });
}

function chainOf(address: string, reply: Reply): string[] {
  const { headers } = reply;
  const code = Number(headers['grpc-status'] ?? (headers[':status'] === undefined ? GrpcCode.UNAVAILABLE : GrpcCode.UNKNOWN));
  if (code !== GrpcCode.OK) throw statusError(address, code, decodeDetails(headers['grpc-message']) || `HTTP ${String(headers[':status'] ?? 'none')}`);
  try {
    return decodeCertificateResponse(unframe(reply.body));
  } catch (err) {
    throw agentError(AgentErrorCode.badCertificate, 'CA answer is not an IstioCertificateResponse', { address, reason: (err as Error).message }, err);
  }
}

function connectOptionsFor(options: CaTransportOptions, rootPem: string): http2.SecureClientSessionOptions {
  const out: http2.SecureClientSessionOptions = { ca: rootPem };
  const name = options.serverName;
  if (name !== undefined) out.checkServerIdentity = (_host, cert) => checkServerIdentity(name, cert);
  return out;
}

/** One TLS HTTP/2 session per call: rotations are hours apart, so nothing is kept open between them. */
export function createCaTransport(options: CaTransportOptions): CaTransport {
  const { address } = options;
  return {
    async createCertificate(call) {
      const session = http2.connect(`https://${address}`, connectOptionsFor(options, await options.rootPem()));
      let timer: NodeJS.Timeout | undefined;
      const failed = new Promise<never>((_resolve, reject) => {
        session.once('error', (err) => reject(unavailable(address, err.message, err)));
        timer = setTimeout(() => reject(unavailable(address, `no answer within ${call.deadlineMs} ms`)), call.deadlineMs);
      });
      failed.catch(() => undefined);
      const headers: http2.OutgoingHttpHeaders = { ':method': 'POST', ':path': CREATE_CERTIFICATE_PATH, 'content-type': 'application/grpc', te: 'trailers' };
      if (call.token !== undefined) headers['authorization'] = `Bearer ${call.token}`;
      try {
        const reply = await Promise.race([exchange(session, headers, frame(encodeCertificateRequest(call.csrPem, call.validitySeconds))), failed]);
        return chainOf(address, reply);
      } catch (err) {
        throw isTrellisError(err) ? err : unavailable(address, errorMessage(err), err);
      } finally {
        clearTimeout(timer);
        session.destroy();
      }
    },
  };
}
