/**
 * Kiali's mTLS status badges from the PeerAuthentications in force (Trellis runs with auto mTLS, as
 * Istio's default, so a client sidecar sends mTLS wherever the server's policy asks for it):
 *  - mesh (`api/mesh/tls`): a selector-less PeerAuthentication in the root namespace: STRICT →
 *    MTLS_ENABLED, DISABLE → MTLS_DISABLED, otherwise MTLS_NOT_ENABLED;
 *  - namespace (`api/namespaces/{ns}/tls`): the namespace's own selector-less policy the same way,
 *    MTLS_PARTIALLY_ENABLED when only workload-selecting policies ask for STRICT there.
 */
import type { IstioConfig, PeerAuthentication } from '@trellis/mesh-api';

export type TlsStatus = 'MTLS_ENABLED' | 'MTLS_PARTIALLY_ENABLED' | 'MTLS_NOT_ENABLED' | 'MTLS_DISABLED';

const isPeerAuthentication = (c: IstioConfig): c is PeerAuthentication => c.kind === 'PeerAuthentication';
const selectorless = (pa: PeerAuthentication): boolean => Object.keys(pa.spec.selector?.matchLabels ?? {}).length === 0;

function statusOfMode(mode: string | undefined): TlsStatus {
  if (mode === 'STRICT') return 'MTLS_ENABLED';
  if (mode === 'DISABLE') return 'MTLS_DISABLED';
  return 'MTLS_NOT_ENABLED';
}

export function meshTlsStatus(config: readonly IstioConfig[], rootNamespace: string): TlsStatus {
  const mesh = config.filter(isPeerAuthentication).find((pa) => (pa.metadata.namespace ?? 'default') === rootNamespace && selectorless(pa));
  return statusOfMode(mesh?.spec.mtls?.mode);
}

export function namespaceTlsStatus(config: readonly IstioConfig[], namespace: string): TlsStatus {
  const inNs = config.filter(isPeerAuthentication).filter((pa) => (pa.metadata.namespace ?? 'default') === namespace);
  const wide = inNs.find(selectorless);
  if (wide !== undefined) return statusOfMode(wide.spec.mtls?.mode);
  return inNs.some((pa) => pa.spec.mtls?.mode === 'STRICT') ? 'MTLS_PARTIALLY_ENABLED' : 'MTLS_NOT_ENABLED';
}
