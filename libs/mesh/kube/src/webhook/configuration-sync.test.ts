import type { V1MutatingWebhookConfiguration } from '@kubernetes/client-node';
import { isTrellisError } from '@trellis/shared';
import { syncWebhookConfiguration, type WebhookConfigurationApi } from './configuration-sync';

const apiError = (code: number) => Object.assign(new Error(`HTTP ${code}`), { code });

/** Stores one object and bumps resourceVersion only on real changes, like the apiserver. */
class FakeApi implements WebhookConfigurationApi {
  stored?: V1MutatingWebhookConfiguration;
  version = 1;
  conflicts = 0;
  async readMutatingWebhookConfiguration(): Promise<V1MutatingWebhookConfiguration> {
    if (!this.stored) throw apiError(404);
    return structuredClone(this.stored);
  }
  async createMutatingWebhookConfiguration({ body }: { body: V1MutatingWebhookConfiguration }): Promise<V1MutatingWebhookConfiguration> {
    if (this.stored) throw apiError(409);
    this.stored = { ...body, metadata: { ...body.metadata, resourceVersion: String(this.version) } };
    return this.stored;
  }
  async replaceMutatingWebhookConfiguration({ body }: { name: string; body: V1MutatingWebhookConfiguration }): Promise<V1MutatingWebhookConfiguration> {
    if (this.conflicts > 0 && this.conflicts--) throw apiError(409);
    if (!this.stored || body.metadata?.resourceVersion !== this.stored.metadata?.resourceVersion) throw apiError(409);
    if (JSON.stringify(body.webhooks) !== JSON.stringify(this.stored.webhooks)) {
      this.version++;
      this.stored = { ...body, metadata: { ...body.metadata, resourceVersion: String(this.version) } };
    }
    return this.stored;
  }
}

const config = (caBundle: string): V1MutatingWebhookConfiguration => ({
  metadata: { name: 'trellis-sidecar-injector' },
  webhooks: [{ name: 'namespace.sidecar-injector.istio.io', clientConfig: { url: 'https://127.0.0.1:1/inject', caBundle }, sideEffects: 'None', admissionReviewVersions: ['v1'] }],
});

describe('syncWebhookConfiguration', () => {
  it('creates, then reports unchanged, then updates on a new caBundle', async () => {
    const api = new FakeApi();
    expect(await syncWebhookConfiguration(api, config('a'))).toBe('created');
    expect(await syncWebhookConfiguration(api, config('a'))).toBe('unchanged');
    expect(await syncWebhookConfiguration(api, config('b'))).toBe('updated');
    expect(api.stored?.webhooks?.[0]?.clientConfig.caBundle).toBe('b');
  });

  it('retries optimistic-concurrency conflicts', async () => {
    const api = new FakeApi();
    await syncWebhookConfiguration(api, config('a'));
    api.conflicts = 2;
    expect(await syncWebhookConfiguration(api, config('b'))).toBe('updated');
  });

  it('gives up with a typed error after repeated conflicts or on other API errors', async () => {
    const api = new FakeApi();
    await syncWebhookConfiguration(api, config('a'));
    api.conflicts = 10;
    const err: unknown = await syncWebhookConfiguration(api, config('b')).catch((e: unknown) => e);
    expect(isTrellisError(err) && err.code).toBe('INJECTOR_CONFIGURATION_SYNC_FAILED');
    const forbidden = new FakeApi();
    forbidden.readMutatingWebhookConfiguration = () => Promise.reject(apiError(403));
    const err2: unknown = await syncWebhookConfiguration(forbidden, config('b')).catch((e: unknown) => e);
    expect(isTrellisError(err2) && err2.context).toMatchObject({ name: 'trellis-sidecar-injector', status: 403 });
  });
});
