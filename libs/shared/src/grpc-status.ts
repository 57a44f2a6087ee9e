/** gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html) and the HTTP mapping. */
export const GrpcCode = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9, ABORTED: 10, OUT_OF_RANGE: 11, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14, DATA_LOSS: 15, UNAUTHENTICATED: 16,
} as const;

const CODE_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(GrpcCode).map(([name, code]) => [code, name]));

/** `UNAVAILABLE` for 14; the number as text for codes outside the table. */
export function grpcCodeName(code: number): string {
  return CODE_NAMES.get(code) ?? String(code);
}

const FROM_HTTP: Readonly<Record<number, number>> = {
  400: GrpcCode.INTERNAL,
  401: GrpcCode.UNAUTHENTICATED,
  403: GrpcCode.PERMISSION_DENIED,
  404: GrpcCode.UNIMPLEMENTED,
  429: GrpcCode.UNAVAILABLE,
  502: GrpcCode.UNAVAILABLE,
  503: GrpcCode.UNAVAILABLE,
  504: GrpcCode.UNAVAILABLE,
};

/** The status an HTTP error becomes for a gRPC client: gRPC's own mapping, also Envoy's (Grpc::Utility::httpToGrpcStatus). */
export function grpcStatusFromHttp(status: number): number {
  return FROM_HTTP[status] ?? GrpcCode.UNKNOWN;
}
