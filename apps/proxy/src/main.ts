// First: heap sizing must be set before the modules below allocate.
import './heap-flags';
import { createProxy } from '@trellis/mesh-proxy';
import { createAdsClient } from '@trellis/mesh-xds';
import { createLogger, shutdownOnSignals } from '@trellis/shared';
import { bindOverride, proxyNode, xdsNode } from './bootstrap';
import { startWorkloadIdentity } from './identity';
import { readConfig } from './config';
import { isCommanderError, releaseCommander } from './start-up-modules';
import { DEFAULT_TERMINATION_DRAIN_MS, termination, terminationDrainMs, type Termination } from './drain';
import { startOps } from './ops';

async function main(): Promise<void> {
  const config = readConfig(process.argv.slice(2), process.env);
  // The flags are read: commander is not needed again (start-up-modules.ts).
  releaseCommander();
  const logger = createLogger({ name: 'proxy', level: config.logLevel, base: { pod: `${config.podName}.${config.namespace}`, mode: config.mode } });
  const identity = startWorkloadIdentity(config, logger);
  const end: { termination?: Termination } = {};
  const proxy = createProxy({
    mode: config.mode,
    node: proxyNode(config),
    logger,
    bindOverride: bindOverride(config),
    accessLog: config.accessLog,
    drainMs: config.drainMs,
    privateApis: config.privateApis,
    secrets: identity.secrets,
    onQuit: () => {
      end.termination?.skipDrain();
      process.kill(process.pid, 'SIGTERM');
    },
  });
  const ops = await startOps(proxy, config);
  const ads = createAdsClient({
    target: config.xdsAddress,
    node: xdsNode(config),
    protocol: config.xdsProtocol,
    logger,
    // apply compiles the response once and throws synchronously on invalid config, before anything
    // changes: the client NACKs and the last good config stays in force.
    onResources: (type, resources, version) => {
      proxy.apply(type, resources, version).catch((err: unknown) => logger.error({ type, version, err }, 'applying xDS config failed'));
    },
  });
  // SIGTERM: Istio's terminationDrainDuration of draining (still serving), then close; the busy
  // connections left get drainMs more (Envoy's drain time), all bounded. Local mode (interception
  // NONE) drains only when the pod's proxy.istio.io/config asks.
  const drainMs = terminationDrainMs(config.proxyConfig, config.interception === 'NONE' ? 0 : DEFAULT_TERMINATION_DRAIN_MS);
  end.termination = termination(proxy, [{ close: async () => ads.close() }, { close: async () => identity.close() }], drainMs, logger);
  shutdownOnSignals([end.termination.closable], logger, drainMs + config.drainMs + 1000);
  logger.info({ xds: config.xdsAddress, ip: config.ip, ops: config.opsBind, ...ops }, 'proxy started');
}

main().catch((err: unknown) => {
  // commander has already printed help, the version or what was wrong with the flags.
  if (isCommanderError(err)) process.exit(err.exitCode);
  process.stderr.write(`proxy failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
