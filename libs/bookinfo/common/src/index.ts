export {
  B3_HEADERS,
  VERBATIM_HEADERS,
  SERVICE_PROPAGATED_HEADERS,
  headerValue,
  pickHeaders,
  productpageForwardHeaders,
  serviceForwardHeaders,
  type IncomingHeaders,
  type OutgoingHeaders,
} from './headers';
export { reinjectB3 } from './b3';
export {
  NO_PROXY_SETTINGS,
  parseNoProxy,
  proxySettingsFromEnv,
  bypassesProxy,
  type ProxySettings,
} from './proxy-settings';
export { createHttpClient, parseJsonBody, type HttpClient, type FetchOutcome, type GetOptions } from './http-client';
export { runService, type ListenOptions } from './service';
export { sendExact } from './reply';
export {
  startStubServer,
  closedPort,
  type StubServer,
  type StubAnswer,
  type StubBehaviour,
  type RecordedRequest,
} from './testing/stub-server';
export { spawnApp, type SpawnedApp, type SpawnOptions } from './testing/spawn-app';
