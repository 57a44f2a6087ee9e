export {
  runInjectorWebhook, DEFAULT_INJECTOR_CONFIGURATION_NAME, DEFAULT_PROXY_IMAGE,
  type InjectorWebhook, type InjectorWebhookOptions,
} from './injector';
export { syncWebhookConfiguration, type ConfigurationSyncResult, type WebhookConfigurationApi } from './configuration-sync';
export { namespaceLabelCache, type NamespaceLabelCache, type NamespaceLabelCacheOptions, type NamespaceReader } from './namespace-labels';
export { InjectorErrorCode } from './errors';
