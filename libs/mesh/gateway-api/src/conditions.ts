/** A metav1.Condition without lastTransitionTime (the status writer stamps it when the status changes). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  observedGeneration: number;
}

export const condition = (type: string, ok: boolean, reason: string, message: string, generation: number): Condition => ({
  type,
  status: ok ? 'True' : 'False',
  reason,
  message,
  observedGeneration: generation,
});

/** A problem found while converting, reported in a status condition with the spec's reason. */
export interface ConfigProblem {
  reason: string;
  message: string;
}

/** The spec's reasons (gateway.networking.k8s.io/v1) Trellis reports, as istiod does. */
export const REASON = {
  accepted: 'Accepted',
  programmed: 'Programmed',
  resolvedRefs: 'ResolvedRefs',
  noConflicts: 'NoConflicts',
  invalid: 'Invalid',
  invalidParameters: 'InvalidParameters',
  listenersNotValid: 'ListenersNotValid',
  addressNotAssigned: 'AddressNotAssigned',
  unsupportedAddress: 'UnsupportedAddress',
  unsupportedProtocol: 'UnsupportedProtocol',
  invalidCertificateRef: 'InvalidCertificateRef',
  refNotPermitted: 'RefNotPermitted',
  invalidRouteKinds: 'InvalidRouteKinds',
  noMatchingParent: 'NoMatchingParent',
  notAllowedByListeners: 'NotAllowedByListeners',
  noMatchingListenerHostname: 'NoMatchingListenerHostname',
  backendNotFound: 'BackendNotFound',
  invalidKind: 'InvalidKind',
  unsupportedValue: 'UnsupportedValue',
} as const;
