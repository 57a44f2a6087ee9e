import type { V1MutatingWebhookConfiguration } from '@kubernetes/client-node';
import { InjectorErrorCode, apiStatus, injectorError } from './errors';

/** The AdmissionregistrationV1Api calls used here (structural, so tests can pass a fake). */
export interface WebhookConfigurationApi {
  readMutatingWebhookConfiguration(param: { name: string }): Promise<V1MutatingWebhookConfiguration>;
  createMutatingWebhookConfiguration(param: { body: V1MutatingWebhookConfiguration }): Promise<V1MutatingWebhookConfiguration>;
  replaceMutatingWebhookConfiguration(param: { name: string; body: V1MutatingWebhookConfiguration }): Promise<V1MutatingWebhookConfiguration>;
}

export type ConfigurationSyncResult = 'created' | 'updated' | 'unchanged';

const MAX_ATTEMPTS = 5;

function nameOf(body: V1MutatingWebhookConfiguration): string {
  const name = body.metadata?.name;
  if (!name) throw injectorError(InjectorErrorCode.configurationSync, 'webhook configuration has no name', {});
  return name;
}

async function readOrUndefined(api: WebhookConfigurationApi, name: string): Promise<V1MutatingWebhookConfiguration | undefined> {
  try {
    return await api.readMutatingWebhookConfiguration({ name });
  } catch (err) {
    if (apiStatus(err) === 404) return undefined;
    throw err;
  }
}

/** One read-then-create-or-replace; `undefined` when it lost a race (409) and should be retried. */
async function attempt(api: WebhookConfigurationApi, body: V1MutatingWebhookConfiguration): Promise<ConfigurationSyncResult | undefined> {
  const name = nameOf(body);
  const current = await readOrUndefined(api, name);
  try {
    if (!current) {
      await api.createMutatingWebhookConfiguration({ body });
      return 'created';
    }
    const resourceVersion = current.metadata?.resourceVersion;
    const replaced = await api.replaceMutatingWebhookConfiguration({ name, body: { ...body, metadata: { ...body.metadata, resourceVersion } } });
    // The apiserver does not write (nor bump resourceVersion) when nothing changed.
    return replaced.metadata?.resourceVersion === resourceVersion ? 'unchanged' : 'updated';
  } catch (err) {
    if (apiStatus(err) === 409) return undefined;
    throw err;
  }
}

/**
 * Creates the MutatingWebhookConfiguration or replaces it wholesale (caBundle, clientConfig,
 * selectors, failurePolicy), as istiod's webhook patcher re-asserts its caBundle. Idempotent;
 * retries optimistic-concurrency conflicts. Throws `INJECTOR_CONFIGURATION_SYNC_FAILED`.
 */
export async function syncWebhookConfiguration(api: WebhookConfigurationApi, body: V1MutatingWebhookConfiguration): Promise<ConfigurationSyncResult> {
  const name = nameOf(body);
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    let result: ConfigurationSyncResult | undefined;
    try {
      result = await attempt(api, body);
    } catch (err) {
      throw injectorError(InjectorErrorCode.configurationSync, 'could not create or update the MutatingWebhookConfiguration', { name, status: apiStatus(err) }, err);
    }
    if (result) return result;
  }
  throw injectorError(InjectorErrorCode.configurationSync, 'the MutatingWebhookConfiguration kept changing while it was updated', { name, attempts: MAX_ATTEMPTS });
}
