export { TrellisError, isTrellisError, errorMessage, type ErrorContext } from './errors';
export { createLogger, silentLogger, parseLogLevel, type Logger, type LoggerOptions } from './logger';
export { envString, envOptional, envPort, envBool, type Env } from './env';
export { shutdownOnSignals, type Closable } from './lifecycle';
export { GrpcCode, grpcCodeName, grpcStatusFromHttp } from './grpc-status';
export { canonicalJson, deepFreeze } from './values';
export { readFlags } from './flags';
export { fuzzSettings, mulberry32, pick, runFuzzCases, type FuzzCaseRef, type FuzzReport, type Random } from './seeded-random';
export { stopChild } from './child-process';
