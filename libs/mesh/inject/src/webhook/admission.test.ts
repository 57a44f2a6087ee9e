import { applyPatch } from '../patch/apply';
import { injectPod } from '../pod/inject';
import type { Pod } from '../pod/types';
import { ENABLED_NAMESPACE, TEST_MESH } from '../testing/fixtures';
import { admissionReview, decodePatch } from '../testing/admission';
import { handleAdmissionReview } from './admission';

const controllerPod = (): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { generateName: 'ratings-v1-5d7b9-', labels: { app: 'ratings', version: 'v1' } },
  spec: { containers: [{ name: 'ratings', image: 'ratings:1', ports: [{ containerPort: 9080 }] }] },
});

const seen: string[] = [];
const ctx = {
  meshConfig: TEST_MESH,
  getNamespaceLabels: async (ns: string) => { seen.push(ns); return ns === 'bookinfo' ? ENABLED_NAMESPACE : {}; },
};

describe('handleAdmissionReview', () => {
  it('echoes the uid and returns a base64 JSONPatch that yields the injected pod', async () => {
    const pod = controllerPod();
    const out = await handleAdmissionReview(admissionReview(pod), ctx);
    expect(out).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true, patchType: 'JSONPatch' } });
    const expected = injectPod(pod, { namespaceLabels: ENABLED_NAMESPACE, meshConfig: TEST_MESH, namespace: 'bookinfo' }).pod;
    expect(applyPatch(pod, decodePatch(out))).toEqual(expected);
  });

  it('uses request.namespace for pods without metadata.namespace, and never patches the namespace', async () => {
    seen.length = 0;
    const out = await handleAdmissionReview(admissionReview(controllerPod()), ctx);
    expect(seen).toEqual(['bookinfo']);
    expect(decodePatch(out).some((op) => op.path === '/metadata/namespace')).toBe(false);
    const owner = decodePatch(out).find((op) => op.path === '/spec/containers/0');
    expect(JSON.stringify(owner)).toContain('"ISTIO_META_WORKLOAD_NAME","value":"ratings-v1-5d7b9"');
  });

  it('gives dryRun requests the same answer', async () => {
    const normal = await handleAdmissionReview(admissionReview(controllerPod()), ctx);
    const dry = await handleAdmissionReview(admissionReview(controllerPod(), { dryRun: true }), ctx);
    expect(dry).toEqual(normal);
  });

  it('allows without a patch when the pod is not selected', async () => {
    const out = await handleAdmissionReview(admissionReview(controllerPod(), { namespace: 'other' }), ctx);
    expect(out.response).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true, auditAnnotations: { injection: 'namespace-not-enabled' } });
  });

  it('allows a pod it cannot handle unchanged, with a warning', async () => {
    const out = await handleAdmissionReview(admissionReview({ metadata: {}, spec: { containers: 'nope' } }), ctx);
    expect(out.response.allowed).toBe(true);
    expect(out.response.patch).toBeUndefined();
    expect(out.response.warnings).toEqual(['trellis sidecar not injected: pod shape not supported by the injector (spec.containers)']);
  });

  it('tolerates a failing namespace lookup with a warning', async () => {
    const failing = { meshConfig: TEST_MESH, getNamespaceLabels: () => Promise.reject(new Error('forbidden')) };
    const out = await handleAdmissionReview(admissionReview(controllerPod()), failing);
    expect(out.response.allowed).toBe(true);
    expect(out.response.warnings).toEqual(['trellis injector could not read namespace bookinfo labels']);
  });

  it('ignores non-pod objects and non-CREATE operations', async () => {
    const out = await handleAdmissionReview(admissionReview(controllerPod(), { operation: 'UPDATE' }), ctx);
    expect(out.response).toEqual({ uid: '705ab4f5-6393-11e8-b7cc-42010a800002', allowed: true });
  });

  it.each([null, [], {}, { apiVersion: 'admission.k8s.io/v1beta1', kind: 'AdmissionReview', request: { uid: 'x' } }, { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: {} }])(
    'rejects malformed reviews with ADMISSION_MALFORMED (%j)',
    async (body) => {
      await expect(handleAdmissionReview(body, ctx)).rejects.toMatchObject({ code: 'ADMISSION_MALFORMED' });
    },
  );
});
