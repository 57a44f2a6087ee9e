import { AdsClientCore, type AdsClient, type AdsClientOptions } from './ads-client-core';
import { DeltaAdsClient } from './delta-client';
import { SotwAdsClient } from './sotw-client';

export type { AdsClient, AdsClientOptions, AdsProtocol } from './ads-client-core';

/**
 * Our proxy's ADS client: wildcard CDS+LDS, then EDS/RDS/SDS for what they reference; ACK/NACK;
 * reconnects. Delta by default (as istiod and Envoy do); `protocol: 'sotw'` for state of the world.
 */
export function createAdsClient(options: AdsClientOptions): AdsClient {
  const client: AdsClientCore = options.protocol === 'sotw' ? new SotwAdsClient(options) : new DeltaAdsClient(options);
  return client;
}
