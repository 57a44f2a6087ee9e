import { Label } from '../pod/constants';

export interface WebhookServiceRef {
  readonly name: string;
  readonly namespace: string;
  /** Service port (default 443 → container 15017). */
  readonly port?: number;
  /** Default `/inject`. */
  readonly path?: string;
}

export interface MutatingWebhookOptions {
  /** The CA as PEM (it is base64-encoded here) or already base64-encoded. */
  readonly caBundle: string;
  /** In-cluster service (Istio's default: istiod.istio-system:443/inject). */
  readonly service?: WebhookServiceRef;
  /** Or an URL, e.g. `https://host.docker.internal:15017/inject` for a control plane outside kind. */
  readonly url?: string;
  /** Default `Fail` (as Istio); `Ignore` for development clusters. */
  readonly failurePolicy?: 'Fail' | 'Ignore';
  /** Default `trellis-sidecar-injector`. */
  readonly name?: string;
}

type Expression = { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] };
type Selector = { matchLabels?: Record<string, string>; matchExpressions?: Expression[] };

const absent = (key: string): Expression => ({ key, operator: 'DoesNotExist' });
const notOptedOut: Selector = { matchExpressions: [{ key: Label.inject, operator: 'NotIn', values: ['false'] }] };

function caBundleBase64(caBundle: string): string {
  return caBundle.includes('-----BEGIN') ? Buffer.from(caBundle, 'utf8').toString('base64') : caBundle;
}

function clientConfig(o: MutatingWebhookOptions): Record<string, unknown> {
  const caBundle = caBundleBase64(o.caBundle);
  if (o.url) return { url: o.url, caBundle };
  const s = o.service ?? { name: 'istiod', namespace: 'istio-system' };
  return { service: { name: s.name, namespace: s.namespace, path: s.path ?? '/inject', port: s.port ?? 443 }, caBundle };
}

/**
 * The three selection cases, each with its own entry so the apiserver does the filtering:
 * - namespace `istio-injection=enabled` (pod not opted out);
 * - namespace `trellis-injection=enabled` without `istio-injection` (so a namespace carrying both is
 *   not injected twice);
 * - namespace without either label (nor `istio.io/rev`), pod labelled `sidecar.istio.io/inject=true`.
 */
function entries(): Array<{ name: string; namespaceSelector: Selector; objectSelector: Selector }> {
  return [
    { name: 'namespace.sidecar-injector.istio.io', namespaceSelector: { matchLabels: { [Label.istioInjection]: 'enabled' } }, objectSelector: notOptedOut },
    {
      name: 'trellis-namespace.sidecar-injector.trellis.dev',
      namespaceSelector: { matchLabels: { [Label.trellisInjection]: 'enabled' }, matchExpressions: [absent(Label.istioInjection)] },
      objectSelector: notOptedOut,
    },
    {
      name: 'object.sidecar-injector.istio.io',
      namespaceSelector: { matchExpressions: [absent(Label.istioInjection), absent(Label.trellisInjection), absent(Label.revision)] },
      objectSelector: { matchExpressions: [{ key: Label.inject, operator: 'In', values: ['true'] }, absent(Label.revision)] },
    },
  ];
}

/** admissionregistration.k8s.io/v1 MutatingWebhookConfiguration for the injector. */
export function mutatingWebhookConfiguration(o: MutatingWebhookOptions): Record<string, unknown> {
  const config = clientConfig(o);
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: o.name ?? 'trellis-sidecar-injector', labels: { app: 'sidecar-injector', 'app.kubernetes.io/part-of': 'trellis' } },
    webhooks: entries().map((entry) => ({
      name: entry.name,
      clientConfig: config,
      rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
      namespaceSelector: entry.namespaceSelector,
      objectSelector: entry.objectSelector,
      sideEffects: 'None',
      failurePolicy: o.failurePolicy ?? 'Fail',
      reinvocationPolicy: 'Never',
      admissionReviewVersions: ['v1'],
      matchPolicy: 'Equivalent',
      timeoutSeconds: 10,
    })),
  };
}
