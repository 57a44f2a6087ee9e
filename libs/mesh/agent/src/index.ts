/**
 * @trellis/mesh-agent — Istio's workload-identity agent (pilot-agent's secret manager) in-process:
 * key + CSR for the workload's SPIFFE identity, `IstioCertificateService/CreateCertificate` over
 * gRPC+TLS on node:http2 with the workload's token, SDS `default` + `ROOTCA` into the proxy's
 * SecretStore, rotation at Istio's grace point with back-off while the CA is away.
 */
export { startWorkloadAgent, type AgentStatus, type SecretSink, type WorkloadAgent, type WorkloadAgentOptions } from './workload-agent';
export { createCaTransport, CREATE_CERTIFICATE_PATH, type CaTransport, type CaTransportOptions, type CertificateCall } from './ca-transport';
export { DEFAULT_GRACE_PERIOD_RATIO, DEFAULT_GRACE_PERIOD_RATIO_JITTER, jitteredGraceRatio, rotationDelayMs } from './rotation';
export { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
export { fileRootSource, fileTokenSource, type TokenSource } from './token-source';
export { SYSTEM_TIMERS, type AgentTimers } from './timers';
export { AgentErrorCode, agentError } from './errors';
export { checkIssued, type IssuedCertificate } from './issued-certificate';
