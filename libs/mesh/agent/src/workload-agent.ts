import { createCsr, type KeyAlgorithm } from '@trellis/mesh-ca';
import type { SecretInput } from '@trellis/mesh-proxy';
import { errorMessage, isTrellisError, type Logger } from '@trellis/shared';
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import type { CaTransport } from './ca-transport';
import { checkIssued, type IssuedCertificate } from './issued-certificate';
import { generateWorkloadKey } from './keys';
import { rotationDelayMs } from './rotation';
import { SYSTEM_TIMERS, type AgentTimers } from './timers';
import type { TokenSource } from './token-source';

/** Where certificates go: the proxy's SecretStore (`default`, `ROOTCA`). */
export interface SecretSink {
  set(secret: SecretInput): unknown;
}

export interface WorkloadAgentOptions {
  /** `spiffe://<trust domain>/ns/<ns>/sa/<sa>`: the only SAN the CSR asks for. */
  readonly identity: string;
  readonly ca: CaTransport;
  readonly token: TokenSource;
  readonly secrets: SecretSink;
  readonly logger: Logger;
  /** Istio's default RSA 2048; EC P-256 with `ECC_SIGNATURE_ALGORITHM=ECDSA`. */
  readonly keyAlgorithm: KeyAlgorithm;
  /** `SECRET_TTL` (24 h): the lifetime requested from the CA. */
  readonly ttlSeconds: number;
  /** `SECRET_GRACE_PERIOD_RATIO`, already jittered (`jitteredGraceRatio`). */
  readonly graceRatio: number;
  readonly backoff?: BackoffPolicy;
  readonly timers?: AgentTimers;
  readonly random?: () => number;
  readonly deadlineMs?: number;
}

export interface AgentStatus {
  readonly current: IssuedCertificate | undefined;
  /** Consecutive failed attempts since the last certificate arrived. */
  readonly failures: number;
  readonly lastError: { code: string; message: string } | undefined;
}

export interface WorkloadAgent {
  /** Resolves once the first certificate is in the store (never rejects; failures are retried). */
  readonly firstCertificate: Promise<void>;
  status(): AgentStatus;
  close(): void;
}

const codeOf = (err: unknown): string => (isTrellisError(err) ? err.code : 'AGENT_INTERNAL');

/**
 * Istio's node agent for one workload (`security/pkg/nodeagent/cache/secretcache.go`): key + CSR for
 * the workload's SPIFFE identity, `CreateCertificate` with the workload's token, the chain as SDS
 * `default` and its root as `ROOTCA`, renewal at the grace point. A failed call is retried with
 * back-off while the previous certificate stays in force: nothing is removed until its successor is in.
 */
export function startWorkloadAgent(options: WorkloadAgentOptions): WorkloadAgent {
  const timers = options.timers ?? SYSTEM_TIMERS;
  const random = options.random ?? Math.random;
  const log = options.logger.child({ resource: 'default', identity: options.identity });
  let state: AgentStatus = { current: undefined, failures: 0, lastError: undefined };
  let timer: unknown;
  let closed = false;
  let markReady: () => void = () => undefined;
  const firstCertificate = new Promise<void>((resolve) => (markReady = resolve));

  const schedule = (ms: number): void => {
    if (!closed) timer = timers.setTimeout(() => void attempt(), ms);
  };

  const install = (issued: IssuedCertificate, keyPem: string, startedMs: number): void => {
    const now = timers.now();
    options.secrets.set({ type: 'validation_context', name: 'ROOTCA', trustedCaPem: issued.rootPem });
    options.secrets.set({ type: 'tls_certificate', name: 'default', certificateChainPem: issued.chainPem, privateKeyPem: keyPem });
    state = { current: issued, failures: 0, lastError: undefined };
    log.info({ latencyMs: now - startedMs, ttlMs: issued.notAfterMs - now, serial: issued.serialNumber }, 'generated new workload certificate');
    const delay = rotationDelayMs(now, issued.notAfterMs, options.graceRatio, now);
    log.info({ delayMs: delay, rotateAt: new Date(now + delay).toISOString() }, 'scheduled certificate for rotation');
    markReady();
    schedule(delay);
  };

  const failed = (err: unknown): void => {
    const failures = state.failures + 1;
    state = { ...state, failures, lastError: { code: codeOf(err), message: errorMessage(err) } };
    const delay = backoffDelayMs(options.backoff ?? DEFAULT_BACKOFF, failures, random);
    const context = isTrellisError(err) ? err.context : {};
    const keeping = state.current === undefined ? 'none' : state.current.serialNumber;
    log.error({ code: codeOf(err), ...context, attempt: failures, retryInMs: delay, keeping }, `failed to generate workload certificate: ${errorMessage(err)}`);
    schedule(delay);
  };

  async function attempt(): Promise<void> {
    const started = timers.now();
    try {
      const key = await generateWorkloadKey(options.keyAlgorithm);
      const csrPem = createCsr(key.privateKey, { uris: [options.identity] });
      const token = await options.token();
      const chain = await options.ca.createCertificate({ csrPem, token, validitySeconds: options.ttlSeconds, deadlineMs: options.deadlineMs ?? 10_000 });
      if (closed) return;
      install(checkIssued(chain, options.identity, key.privateKey), key.privateKeyPem, started);
    } catch (err) {
      if (!closed) failed(err);
    }
  }

  schedule(0);
  return {
    firstCertificate,
    status: () => state,
    close: () => {
      closed = true;
      if (timer !== undefined) timers.clearTimeout(timer);
    },
  };
}
