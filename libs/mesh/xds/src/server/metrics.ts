import type { Registry } from 'prom-client';
import type { XdsTypeShort } from '../proto/type-urls';

/** ADS types plus VHDS (virtual hosts of delta clients that announce it). */
export type XdsMetricType = XdsTypeShort | 'VHDS';

/** Istio's xDS server metric names, registered on the caller's registry. */
export interface XdsServerMetrics {
  connected(delta: 1 | -1): void;
  pushed(type: XdsMetricType): void;
  pushTime(type: XdsMetricType, seconds: number): void;
  rejected(type: XdsMetricType): void;
  expiredNonce(type: XdsMetricType): void;
  /** Delta subscriptions to unknown names refused by the per-stream bound. */
  subscriptionsDropped(type: XdsMetricType, count: number): void;
  /** Delta responses forgotten unACKed by the per-stream bound. */
  unackedDropped(type: XdsMetricType, count: number): void;
  /** A push held back because the stream's client is not reading (sent once it drains). */
  pushDeferred(): void;
}

function label(type: XdsMetricType): string {
  return type.toLowerCase();
}

export function createXdsServerMetrics(given?: Registry): XdsServerMetrics {
  // Loaded here, not at import: proxies import this library for its ADS client and should not
  // pay prom-client's ~10 MB for a server they never start.
  const { Counter, Gauge, Histogram, Registry: PromRegistry } = require('prom-client') as typeof import('prom-client');
  const registry = given ?? new PromRegistry();
  const registers = [registry];
  const xds = new Gauge({ name: 'pilot_xds', help: 'Number of endpoints connected to this pilot using XDS.', registers });
  const pushes = new Counter({ name: 'pilot_xds_pushes', help: 'Pilot build and send errors for lds, rds, cds and eds.', labelNames: ['type'], registers });
  const pushTime = new Histogram({
    name: 'pilot_xds_push_time',
    help: 'Total time in seconds Pilot takes to push lds, rds, cds and eds.',
    labelNames: ['type'],
    buckets: [0.01, 0.1, 1, 3, 5, 10, 20, 30],
    registers,
  });
  const rejects = new Counter({ name: 'pilot_total_xds_rejects', help: 'Total number of XDS responses from pilot rejected by proxy.', labelNames: ['type'], registers });
  const expired = new Counter({ name: 'pilot_xds_expired_nonce', help: 'Total number of XDS requests with an expired nonce.', labelNames: ['type'], registers });
  const droppedSubs = new Counter({
    name: 'pilot_xds_subscriptions_dropped',
    help: 'Total number of delta XDS subscriptions to unknown resources refused because the stream reached its limit.',
    labelNames: ['type'],
    registers,
  });
  const droppedUnacked = new Counter({
    name: 'pilot_xds_unacked_dropped',
    help: 'Total number of delta XDS responses forgotten without an ACK because the stream reached its limit.',
    labelNames: ['type'],
    registers,
  });
  const deferred = new Counter({
    name: 'pilot_xds_push_deferred',
    help: 'Total number of XDS pushes held back because the proxy was not reading its stream (sent when it drains).',
    registers,
  });
  return {
    connected: (delta) => xds.inc(delta),
    pushed: (type) => pushes.inc({ type: label(type) }),
    pushTime: (type, seconds) => pushTime.observe({ type: label(type) }, seconds),
    rejected: (type) => rejects.inc({ type: label(type) }),
    expiredNonce: (type) => expired.inc({ type: label(type) }),
    subscriptionsDropped: (type, count) => droppedSubs.inc({ type: label(type) }, count),
    unackedDropped: (type, count) => droppedUnacked.inc({ type: label(type) }, count),
    pushDeferred: () => deferred.inc(),
  };
}
