import * as grpc from '@grpc/grpc-js';
import { fromJSON } from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';

/** The text of `ca.proto` beside this file (a test keeps the two equal). */
export const CA_PROTO = `// Istio's CA API (istio/api security/v1alpha1/ca.proto), the parts Trellis serves.
// ca-proto.ts holds this same text (bundles carry no .proto files); a test keeps them equal.
syntax = "proto3";

import "google/protobuf/struct.proto";

package istio.v1.auth;

option go_package = "istio.io/api/security/v1alpha1";

// Certificate request message. The authentication should be based on:
// 1. Bearer tokens carried in the side channel;
// 2. Client-side certificate via Mutual TLS handshake.
message IstioCertificateRequest {
  // PEM-encoded certificate request.
  string csr = 1;
  // Optional: requested certificate validity period, in seconds.
  int64 validity_duration = 3;
  // $hide_from_docs
  // Optional: Opaque metadata provided by the XDS node to Istio.
  google.protobuf.Struct metadata = 4;
}

// Certificate response message.
message IstioCertificateResponse {
  // PEM-encoded certificate chain.
  // The leaf cert is the first element, and the root cert is the last element.
  repeated string cert_chain = 1;
}

// Service for managing certificates issued by the CA.
service IstioCertificateService {
  // Using provided CSR, returns a signed certificate.
  rpc CreateCertificate(IstioCertificateRequest) returns (IstioCertificateResponse) {}
}
`;

export const CA_SERVICE = 'istio.v1.auth.IstioCertificateService';
export const CREATE_CERTIFICATE_PATH = `/${CA_SERVICE}/CreateCertificate`;

/** IstioCertificateRequest as proto-loader decodes it (keepCase, longs as numbers). */
export interface IstioCertificateRequest {
  csr: string;
  validity_duration: number;
  metadata?: { fields?: Record<string, { stringValue?: string } | undefined> } | null;
}

export interface IstioCertificateResponse {
  cert_chain: string[];
}

let cached: grpc.ServiceDefinition | undefined;

/** The service definition, parsed once from CA_PROTO (google.protobuf.Struct from protobufjs' common types). */
export function caServiceDefinition(): grpc.ServiceDefinition {
  if (cached !== undefined) return cached;
  const root = new protobuf.Root();
  const struct = protobuf.common.get('google/protobuf/struct.proto');
  if (struct?.nested !== undefined) root.addJSON(struct.nested);
  protobuf.parse(CA_PROTO, root, { keepCase: true });
  const definition = fromJSON(root.toJSON(), { keepCase: true, longs: Number, defaults: true });
  const service = definition[CA_SERVICE];
  if (service === undefined || !('CreateCertificate' in service)) throw new Error(`${CA_SERVICE} missing from ca.proto`);
  cached = service as grpc.ServiceDefinition;
  return cached;
}
