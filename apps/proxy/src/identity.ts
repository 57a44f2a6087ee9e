import { createCaTransport, fileRootSource, fileTokenSource, jitteredGraceRatio, startWorkloadAgent, type WorkloadAgent } from '@trellis/mesh-agent';
import { spiffeId } from '@trellis/mesh-ca';
import { SecretStore } from '@trellis/mesh-proxy';
import type { Logger } from '@trellis/shared';
import type { ProxyConfig } from './config';

export interface WorkloadIdentity {
  /** The proxy's SDS secrets (`default`, `ROOTCA`); undefined without a CA. */
  readonly secrets: SecretStore | undefined;
  readonly agent: WorkloadAgent | undefined;
  close(): void;
}

/**
 * pilot-agent's certificate half, in the proxy process: with a CA address, an agent for
 * `spiffe://<trust domain>/ns/<ns>/sa/<sa>` fills the proxy's secret store; without one the proxy has
 * no workload certificate, says so once, and mTLS is unavailable to it.
 */
export function startWorkloadIdentity(config: ProxyConfig, logger: Logger): WorkloadIdentity {
  const id = config.identity;
  if (id.caAddress === undefined) {
    logger.warn('no CA address (CA_ADDR / --ca-address): this proxy has no workload certificate, mTLS is unavailable');
    return { secrets: undefined, agent: undefined, close: () => undefined };
  }
  const identity = spiffeId(id.trustDomain, config.namespace, config.serviceAccount);
  const secrets = new SecretStore();
  const agent = startWorkloadAgent({
    identity,
    ca: createCaTransport({ address: id.caAddress, rootPem: fileRootSource(id.caRootCert) }),
    token: fileTokenSource(id.tokenFiles),
    secrets,
    logger: logger.child({ component: 'agent' }),
    keyAlgorithm: id.keyAlgorithm,
    ttlSeconds: id.certTtlSeconds,
    graceRatio: jitteredGraceRatio(id.graceRatio, id.graceRatioJitter, Math.random),
  });
  logger.info({ ca: id.caAddress, identity, root: id.caRootCert, tokens: id.tokenFiles, key: id.keyAlgorithm.kind }, 'workload identity agent started');
  return { secrets, agent, close: () => agent.close() };
}
