import { TrellisError, errorMessage, type ErrorContext } from '@trellis/shared';

/** Stable error codes of the in-cluster injector runner. */
export const InjectorErrorCode = {
  /** The MutatingWebhookConfiguration could not be created or replaced. */
  configurationSync: 'INJECTOR_CONFIGURATION_SYNC_FAILED',
  /** A namespace's labels could not be read from the apiserver. */
  namespaceLookup: 'INJECTOR_NAMESPACE_LOOKUP_FAILED',
} as const;

export type InjectorErrorCode = (typeof InjectorErrorCode)[keyof typeof InjectorErrorCode];

export function injectorError(code: InjectorErrorCode, message: string, context: ErrorContext, cause?: unknown): TrellisError {
  const reason = cause === undefined ? {} : { reason: errorMessage(cause) };
  return new TrellisError(code, message, { ...context, ...reason }, cause === undefined ? undefined : { cause });
}

/** HTTP status of a @kubernetes/client-node ApiException (duck-typed: no runtime import needed). */
export function apiStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}
