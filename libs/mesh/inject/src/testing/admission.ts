import type { JsonPatchOp } from '../patch/types';
import type { AdmissionReviewResponse } from '../webhook/admission';

/** A v1 AdmissionReview request as the apiserver sends it (uid fixed for assertions). */
export function admissionReview(object: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    request: {
      uid: '705ab4f5-6393-11e8-b7cc-42010a800002',
      kind: { group: '', version: 'v1', kind: 'Pod' },
      resource: { group: '', version: 'v1', resource: 'pods' },
      namespace: 'bookinfo',
      operation: 'CREATE',
      userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller' },
      object,
      oldObject: null,
      dryRun: false,
      ...extra,
    },
  };
}

export function decodePatch(review: AdmissionReviewResponse): JsonPatchOp[] {
  return JSON.parse(Buffer.from(review.response.patch!, 'base64').toString('utf8')) as JsonPatchOp[];
}
