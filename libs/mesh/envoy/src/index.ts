/**
 * @trellis/mesh-envoy — the one model of the Envoy v3 resource contract (docs/xds-resources.md):
 * the message types the translator produces, the ADS server encodes and the proxy and CLI read,
 * and every type URL and well-known name. Pure: types and constants only.
 */
export type * from './core';
export type * from './listener';
export type * from './route';
export type * from './cluster';
export type * from './endpoint';
export type * from './filters';
export type * from './tls';
export type * from './security-filters';
export type * from './observability';
export type * from './resources';
export type * from './ratelimit';
export * from './type-urls';
export * from './names';
export * from './http-status';
export * from './istio-filters';
