export { translate } from './translate';
export { createTranslator } from './translator';
export { translateOptions, DEFAULT_TRANSLATE_OPTIONS, type TranslateOptions } from './translate-options';
export { translateGrpc, grpcListenerNames } from './grpc-flavour';
export { simulate, type SimulatedRequest, type SimulationResult } from './simulate';
export {
  outboundClusterName,
  inboundClusterName,
  listenerName,
  outboundRouteName,
  gatewayRouteName,
  virtualHostName,
  VIRTUAL_INBOUND,
  VIRTUAL_OUTBOUND,
  BLACKHOLE_CLUSTER,
  PASSTHROUGH_CLUSTER,
  INBOUND_PASSTHROUGH_CLUSTER,
} from './naming';
export { parseDurationNanos, toDuration } from './durations';
export * from '@trellis/mesh-envoy';
