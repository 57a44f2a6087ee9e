import { TrellisError, type ErrorContext } from '@trellis/shared';

/** Stable error codes of this library; the webhook maps them to HTTP statuses in one place. */
export const InjectErrorCode = {
  /** The AdmissionReview body is not a v1 AdmissionReview request (HTTP 400). */
  admissionMalformed: 'ADMISSION_MALFORMED',
  /** The pod cannot be injected (no containers, name clash…); admission is allowed unchanged with a warning. */
  unsupportedPod: 'INJECT_UNSUPPORTED_POD',
  /** A `traffic.sidecar.istio.io/*` annotation or capture option is invalid. */
  invalidCapture: 'INJECT_INVALID_CAPTURE',
  /** A `trellis-iptables` command-line flag is unknown or malformed. */
  badFlag: 'CAPTURE_BAD_FLAG',
  /** `kube-inject` input is not valid YAML. */
  badManifest: 'KUBE_INJECT_BAD_MANIFEST',
  /** A JSON patch could not be applied. */
  patchFailed: 'PATCH_FAILED',
  /** HTTP-level problems of the webhook server. */
  notFound: 'WEBHOOK_NOT_FOUND',
  methodNotAllowed: 'WEBHOOK_METHOD_NOT_ALLOWED',
  unsupportedMediaType: 'WEBHOOK_UNSUPPORTED_MEDIA_TYPE',
  bodyTooLarge: 'WEBHOOK_BODY_TOO_LARGE',
} as const;

export type InjectErrorCode = (typeof InjectErrorCode)[keyof typeof InjectErrorCode];

export function injectError(code: InjectErrorCode, message: string, context: ErrorContext = {}): TrellisError {
  return new TrellisError(code, message, context);
}
