import type { ClusterStats } from './cluster-stats';
import { SECRET_NOT_READY } from './tls-connect';
import type { UpstreamTlsConfig } from './tls-config';
import { type UpstreamHandler, type UpstreamPool, type UpstreamRequest, UpstreamError } from './upstream-pool';

/** A connect failure for lack of an SDS secret: 503 UF with Envoy's NotReadySslSocket reason. */
export function secretNotReadyError(): UpstreamError {
  return new UpstreamError('CONNECT_FAILED', `upstream connect error: ${SECRET_NOT_READY}`, true, SECRET_NOT_READY);
}

/**
 * In front of the pool of an endpoint whose TLS uses SDS: while the secrets are missing (Envoy's
 * warming) every request fails as a connect failure (retried as `connect-failure`, then 503 UF), counted
 * in `client_ssl_socket_factory.upstream_context_secrets_not_ready` and `upstream_cx_connect_fail`; the
 * context source logs once. Once ready it stays ready (secrets are replaced, never removed), so the
 * check stops. It also counts rotations (`ssl_context_update_by_sds`).
 */
export class SecretsGate implements UpstreamPool {
  private ready = false;

  constructor(
    private readonly inner: UpstreamPool,
    private readonly tls: UpstreamTlsConfig,
    private readonly stats: ClusterStats,
  ) {
    const ssl = stats.ssl;
    if (ssl !== undefined) tls.contexts.events = { onUpdate: () => void ssl.socketFactory.ssl_context_update_by_sds++ };
  }

  get connected(): number {
    return this.inner.connected;
  }

  dispatch(req: UpstreamRequest, handler: UpstreamHandler): void {
    if (!this.ready && !(this.ready = this.tls.contexts.current() !== undefined)) {
      if (this.stats.ssl !== undefined) this.stats.ssl.socketFactory.upstream_context_secrets_not_ready++;
      this.stats.upstream_cx_connect_fail++;
      const controller = { abort: () => undefined, pause: () => undefined, resume: () => undefined };
      handler.onRequestStart(controller);
      handler.onResponseError(controller, secretNotReadyError());
      return;
    }
    this.inner.dispatch(req, handler);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  destroy(): void {
    this.inner.destroy();
  }
}
