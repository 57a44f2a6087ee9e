import type { FastifyPluginAsync } from 'fastify';
import type { AdsServer } from './ads-server';
import { redactSecrets } from './redact-secrets';

export interface XdsDebugApiOptions {
  readonly server: Pick<AdsServer, 'syncStatus' | 'configDump'>;
}

/**
 * istiod-style debug endpoints for the control plane's 15014 HTTP server:
 * `GET /debug/syncz` and `GET /debug/config_dump?proxyID=<node id>` (secrets' private keys redacted).
 * Usage: `app.register(xdsDebugApi({ server }))`.
 */
export function xdsDebugApi(options: XdsDebugApiOptions): FastifyPluginAsync {
  return async (app) => {
    app.get('/debug/syncz', async () => options.server.syncStatus());

    app.get<{ Querystring: { proxyID?: string } }>('/debug/config_dump', async (request, reply) => {
      const proxyId = request.query.proxyID;
      if (proxyId === undefined || proxyId === '') {
        return reply.code(400).send({ code: 'XDS_PROXY_ID_REQUIRED', message: 'Query parameter proxyID is required', context: {} });
      }
      const dump = options.server.configDump(proxyId);
      if (dump === undefined) {
        return reply.code(404).send({ code: 'XDS_PROXY_NOT_CONNECTED', message: 'No connected proxy has this id', context: { proxyID: proxyId } });
      }
      return redactSecrets(dump);
    });
  };
}
