/**
 * The one error type that crosses module boundaries. `code` is stable (tests and clients match on
 * it), `context` carries the facts a reader needs (resource, field, address), and the message is
 * a constant sentence. Each process converts these to HTTP/gRPC responses in exactly one place.
 */
export type ErrorContext = Readonly<Record<string, unknown>>;

export class TrellisError extends Error {
  override readonly name = 'TrellisError';

  constructor(
    readonly code: string,
    message: string,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): { code: string; message: string; context: ErrorContext } {
    return { code: this.code, message: this.message, context: this.context };
  }
}

export function isTrellisError(err: unknown): err is TrellisError {
  return err instanceof TrellisError;
}

/** A message for any thrown value, without stack traces. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
