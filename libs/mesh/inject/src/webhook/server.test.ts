import { request } from 'node:https';
import { applyPatch } from '../patch/apply';
import { injectPod } from '../pod/inject';
import type { Pod } from '../pod/types';
import { ENABLED_NAMESPACE, TEST_MESH } from '../testing/fixtures';
import type { AdmissionReviewResponse } from './admission';
import { admissionReview, decodePatch } from '../testing/admission';
import { makeWebhookCertificates } from './certs';
import { startInjectionWebhook, type InjectionWebhook } from './server';

const certs = makeWebhookCertificates({ extraIps: ['127.0.0.1'] });
let webhook: InjectionWebhook;

beforeAll(async () => {
  webhook = await startInjectionWebhook({
    host: '127.0.0.1',
    port: 0,
    tls: certs,
    meshConfig: TEST_MESH,
    getNamespaceLabels: async () => ENABLED_NAMESPACE,
    maxBodyBytes: 64 * 1024,
  });
});
afterAll(() => webhook.close());

function post(path: string, body: string, contentType = 'application/json', method = 'POST'): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: webhook.port, path, method, ca: certs.caPem, headers: { 'content-type': contentType } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const pod: Pod = { metadata: { name: 'productpage', namespace: 'bookinfo', labels: { app: 'productpage' } }, spec: { containers: [{ name: 'productpage', image: 'pp:1' }] } };

describe('injection webhook over real HTTPS (cert verified against the generated CA)', () => {
  it.each(['/inject', '/inject/', '/inject/cluster/Kubernetes/net/network1'])('POST %s returns a patch that injects the pod', async (path) => {
    const res = await post(path, JSON.stringify(admissionReview(pod)));
    expect(res.status).toBe(200);
    const review = res.json as AdmissionReviewResponse;
    expect(review.response.uid).toBe('705ab4f5-6393-11e8-b7cc-42010a800002');
    expect(applyPatch(pod, decodePatch(review))).toEqual(injectPod(pod, { namespaceLabels: ENABLED_NAMESPACE, meshConfig: TEST_MESH }).pod);
  });

  it('answers 400 with a message for a malformed body', async () => {
    expect(await post('/inject', '{not json')).toEqual({ status: 400, json: expect.objectContaining({ code: 'ADMISSION_MALFORMED', message: expect.any(String) }) });
    expect(await post('/inject', '{"kind":"Pod"}')).toMatchObject({ status: 400, json: { code: 'ADMISSION_MALFORMED' } });
  });

  it('maps other HTTP problems in one place', async () => {
    expect((await post('/nope', '{}')).status).toBe(404);
    expect((await post('/inject', '', 'application/json', 'GET')).status).toBe(405);
    expect((await post('/inject', '{}', 'text/plain')).status).toBe(415);
    expect((await post('/inject', JSON.stringify({ pad: 'x'.repeat(70 * 1024) }))).status).toBe(413);
    expect(await post('/ready', '', 'application/json', 'GET')).toEqual({ status: 200, json: { status: 'ok' } });
  });
});
