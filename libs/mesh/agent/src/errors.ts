import { TrellisError, type ErrorContext } from '@trellis/shared';

/** Stable error codes of the workload agent; logs and tests match on the code, never the message. */
export const AgentErrorCode = {
  /** The CA did not answer (connect, TLS, deadline, UNAVAILABLE): retried with back-off. */
  caUnavailable: 'AGENT_CA_UNAVAILABLE',
  /** The CA answered with an error status (UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, …). */
  caRejected: 'AGENT_CA_REJECTED',
  /** The CA's answer is not a usable chain for this workload (empty, unparsable, wrong SAN). */
  badCertificate: 'AGENT_BAD_CERTIFICATE',
  /** The credential file (projected ServiceAccount token / local token) cannot be read. */
  tokenUnreadable: 'AGENT_TOKEN_UNREADABLE',
  /** The root certificate that verifies the CA cannot be read. */
  rootUnreadable: 'AGENT_ROOT_UNREADABLE',
} as const;

export type AgentErrorCode = (typeof AgentErrorCode)[keyof typeof AgentErrorCode];

export function agentError(code: AgentErrorCode, message: string, context: ErrorContext = {}, cause?: unknown): TrellisError {
  return new TrellisError(code, message, context, cause === undefined ? undefined : { cause });
}
