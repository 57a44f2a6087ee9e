import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { ProxyInfo } from '@trellis/mesh-api';
import { TrellisError, errorMessage, type Logger } from '@trellis/shared';
import type { Registry } from 'prom-client';
import { adsServiceDefinition } from '../proto/discovery';
import { envoyRoot } from '../proto/root';
import type { XdsResources } from '../resources';
import { usePreframedSends } from '../unsafe/grpc-js-preframed';
import { createDebouncer, DEFAULT_DEBOUNCE, type DebounceOptions } from './debounce';
import { createXdsServerMetrics } from './metrics';
import { DeltaConnection, type DeltaAdsCall } from './delta-connection';
import { DEFAULT_DELTA_LIMITS, type DeltaLimits } from './delta-state';
import type { ConnectionDeps, ProxyConnection, ProxySyncStatus } from './proxy-connection';
import { SotwConnection, type AdsCall } from './sotw-connection';

export interface AdsServerOptions {
  /** Resources for one proxy; called on connect and on every (debounced) push. */
  readonly generate: (proxy: ProxyInfo) => XdsResources;
  readonly logger: Logger;
  readonly debounce?: DebounceOptions;
  /** Where pilot_xds* metrics are registered (a private registry if omitted). */
  readonly registry?: Registry;
  /**
   * grpc-js's private send hook (unsafe/grpc-js-preframed.ts) when present in the expected shape
   * (default true); false = grpc-js frames every message itself (same bytes on the wire). Process-wide.
   */
  readonly privateApis?: boolean;
  /** Per-stream bounds of DeltaAggregatedResources streams (DEFAULT_DELTA_LIMITS). */
  readonly deltaLimits?: Partial<DeltaLimits>;
}

export interface AdsServer {
  /** Listens on `host:port` (port 0 = any); resolves to the bound port. */
  bind(address: string): Promise<number>;
  /** Schedules a debounced push to every connected proxy. */
  push(reason?: string): void;
  /** Pushes now, skipping the debounce (tests, shutdown paths). */
  pushNow(reason?: string): void;
  syncStatus(): ProxySyncStatus[];
  /** The resources last sent to the proxy with this node id, or undefined if not connected. */
  configDump(proxyId: string): XdsResources | undefined;
  connectedProxies(): ProxyInfo[];
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 2000;

/** Proxies pushed per event-loop turn within a round (see pushAll). */
const PUSH_BATCH = 50;

export function createAdsServer(options: AdsServerOptions): AdsServer {
  envoyRoot(); // parse the protos up front, not on the first connection
  const logger = options.logger;
  const privateApis = options.privateApis ?? true;
  const sends = usePreframedSends(privateApis);
  // Wanted but unavailable (a grpc-js upgrade changed it) is worth a warning; chosen off is not.
  logger[privateApis && !sends.preframed ? 'warn' : 'info']({ preframed: sends.preframed, reason: sends.reason }, 'xDS send path chosen');
  const metrics = createXdsServerMetrics(options.registry);
  /** Streams whose node is known (what status and pushes cover). */
  const connections = new Set<ProxyConnection>();
  /** Every open stream, including those still waiting for their first request. */
  const streams = new Set<ProxyConnection>();
  const server = new grpc.Server({ 'grpc.keepalive_time_ms': 30_000, 'grpc.keepalive_timeout_ms': 10_000 });
  let bound = false;

  /**
   * One push round over the proxies connected when it starts, PUSH_BATCH at a time: between batches
   * the event loop flushes what was written and reads ACKs, so the first proxies apply the change
   * while later ones are still being generated (like istiod's push queue). A round that overlaps the
   * next is harmless: each push regenerates from the current snapshot and sends only changed types.
   */
  const pushAll = (changeAt: number, reasons: string[]): void => {
    // One nonce per round and type: streams sent equal resources get byte-identical responses.
    const round = randomUUID();
    const queue = [...connections];
    let sent = 0;
    const pushFrom = (start: number): void => {
      const end = Math.min(start + PUSH_BATCH, queue.length);
      for (const conn of queue.slice(start, end)) sent += conn.push(changeAt, round).length;
      if (end < queue.length) setImmediate(pushFrom, end);
      else logger.debug({ reasons, proxies: queue.length, responses: sent }, 'xDS push done');
    };
    pushFrom(0);
  };
  const debouncer = createDebouncer(options.debounce ?? DEFAULT_DEBOUNCE, pushAll);

  const deps: ConnectionDeps = {
    generate: options.generate,
    metrics,
    logger,
    onReady: (c) => {
      connections.add(c);
      metrics.connected(1);
    },
    onClose: (c) => {
      streams.delete(c);
      if (connections.delete(c)) {
        metrics.connected(-1);
        logger.info({ proxy: c.proxy?.id, connectionId: c.connectionId }, 'xDS proxy disconnected');
      }
    },
  };
  const deltaLimits: DeltaLimits = { ...DEFAULT_DELTA_LIMITS, ...options.deltaLimits };
  server.addService(adsServiceDefinition(), {
    StreamAggregatedResources: (call: AdsCall) => void streams.add(new SotwConnection(call, deps)),
    DeltaAggregatedResources: (call: DeltaAdsCall) => void streams.add(new DeltaConnection(call, deps, deltaLimits)),
  });

  const latest = (proxyId: string): ProxyConnection | undefined => {
    let found: ProxyConnection | undefined;
    for (const c of connections) if (c.proxy?.id === proxyId && (!found || c.connectedAt >= found.connectedAt)) found = c;
    return found;
  };

  return {
    bind: (address) =>
      new Promise<number>((resolve, reject) => {
        server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, port) => {
          if (err) {
            reject(new TrellisError('XDS_BIND_FAILED', 'Cannot bind the xDS server', { address, reason: errorMessage(err) }, { cause: err }));
            return;
          }
          bound = true;
          logger.info({ address, port }, 'xDS server listening');
          resolve(port);
        });
      }),
    push: (reason = 'push') => debouncer.trigger(reason),
    pushNow: (reason = 'push') => {
      debouncer.cancel();
      pushAll(Date.now(), [reason]);
    },
    syncStatus: () => [...connections].map((c) => c.status()).filter((s): s is ProxySyncStatus => s !== undefined),
    configDump: (proxyId) => latest(proxyId)?.dump(),
    connectedProxies: () => [...connections].map((c) => c.proxy).filter((p): p is ProxyInfo => p !== undefined),
    close: async () => {
      debouncer.cancel();
      for (const c of [...streams]) c.close();
      if (!bound) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, SHUTDOWN_GRACE_MS);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
