/**
 * The admission webhook fuzzed over real HTTPS: AdmissionReview bodies built from Bookinfo-like pods,
 * mutated as objects (fields removed, retyped, oversized, `__proto__` keys, odd annotation values)
 * and as JSON text (truncated, bytes flipped). Every body gets a clear answer — 200 with a review for
 * the request's uid, or 400 ADMISSION_MALFORMED with a message — never a 500 or a dropped
 * connection; a patch always applies to the pod it was made for; a pod that opts out is never
 * injected; the webhook still serves afterwards. Seeded: FUZZ_SEED replays, FUZZ_ITERATIONS runs longer.
 */
import { request } from 'node:https';
import { fuzzSettings, mulberry32, pick, runFuzzCases, type Random } from '@trellis/shared';
import { applyPatch } from '../patch/apply';
import type { JsonPatchOp } from '../patch/types';
import { admissionReview } from '../testing/admission';
import { ENABLED_NAMESPACE, TEST_MESH } from '../testing/fixtures';
import type { AdmissionReviewResponse } from './admission';
import { makeWebhookCertificates } from './certs';
import { startInjectionWebhook, type InjectionWebhook } from './server';

const { seed: SEED, iterations: ITERATIONS } = fuzzSettings(process.env, 200);
const PARALLEL = 16;
const certs = makeWebhookCertificates({ extraIps: ['127.0.0.1'] });
let webhook: InjectionWebhook;

const basePod = (r: Random): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    generateName: 'reviews-v2-5b64f47978-',
    namespace: pick(r, ['bookinfo', 'default', '']),
    labels: { app: 'reviews', version: 'v2', 'pod-template-hash': '5b64f47978' },
    annotations: { 'kubectl.kubernetes.io/default-container': 'reviews', 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9080' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'reviews-v2-5b64f47978', uid: 'u1', controller: true }],
  },
  spec: {
    serviceAccountName: 'bookinfo-reviews',
    containers: [
      { name: 'reviews', image: 'docker.io/istio/examples-bookinfo-reviews-v2:1.17.0', ports: [{ containerPort: 9080 }], env: [{ name: 'LOG_DIR', value: '/tmp/logs' }], volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }], securityContext: { runAsUser: 1000 } },
    ],
    volumes: [{ name: 'tmp', emptyDir: {} }],
  },
});

const ODD_VALUES: readonly unknown[] = [null, 0, -1, 1e308, '', 'x'.repeat(5000), true, [], {}, [1, 'a'], { a: { b: [null] } }, '\u0000', '☃', 'false', 'true', '{', 'a: b: c', '-1', '65536', 'ALL', '*'];
const ANNOTATIONS = ['sidecar.istio.io/inject', 'proxy.istio.io/config', 'traffic.sidecar.istio.io/includeInboundPorts', 'traffic.sidecar.istio.io/excludeOutboundIPRanges', 'sidecar.istio.io/proxyCPU', 'sidecar.istio.io/interceptionMode', 'prometheus.io/port', 'status.sidecar.istio.io/port'];

/** Every (parent, key) in a JSON tree, the root's own keys included. */
function slots(node: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []): [Record<string, unknown> | unknown[], string | number][] {
  if (Array.isArray(node)) {
    node.forEach((v, i) => {
      out.push([node, i]);
      slots(v, out);
    });
  } else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      out.push([node as Record<string, unknown>, k]);
      slots(v, out);
    }
  }
  return out;
}

/** An earlier mutation may have retyped the map into a string, number or array: mutate maps only. */
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const MUTATIONS: Record<string, (review: Record<string, unknown>, r: Random) => void> = {
  delete: (review, r) => {
    const [parent, key] = pick(r, slots(review));
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  },
  retype: (review, r) => {
    const [parent, key] = pick(r, slots(review));
    (parent as Record<string, unknown>)[key as string] = structuredClone(pick(r, ODD_VALUES));
  },
  annotation: (review, r) => {
    const pod = (review['request'] as { object?: { metadata?: { annotations?: Record<string, unknown> } } } | undefined)?.object;
    if (isRecord(pod?.metadata?.annotations)) pod.metadata.annotations[pick(r, ANNOTATIONS)] = pick(r, ['false', 'true', 'nope', '{', 'tracing: {sampling: x}', 'proxyMetadata: [1]', '*', '', '9080,abc', '10.0.0.0/33', '100000m', 'TPROXY', '1e9']);
  },
  'opt-out': (review) => {
    const pod = (review['request'] as { object?: { metadata?: { labels?: Record<string, unknown> } } } | undefined)?.object;
    if (isRecord(pod?.metadata?.labels)) pod.metadata.labels['sidecar.istio.io/inject'] = 'false';
  },
  proto: (review, r) => {
    const [parent] = pick(r, slots(review));
    if (!Array.isArray(parent) && !Object.hasOwn(parent, '__proto__')) Object.defineProperty(parent, '__proto__', { value: { polluted: true, containers: [] }, enumerable: true, writable: true, configurable: true }); // as JSON.parse makes it: a later mutation may retype or delete it
  },
  'many-containers': (review) => {
    const spec = (review['request'] as { object?: { spec?: { containers?: unknown[] } } } | undefined)?.object?.spec;
    if (Array.isArray(spec?.containers)) spec.containers.push(...Array.from({ length: 50 }, (_, i) => ({ name: i % 2 ? 'istio-proxy' : `c${i}`, image: 'x' })));
  },
  'duplicate-name': (review) => {
    const spec = (review['request'] as { object?: { spec?: { containers?: unknown[] } } } | undefined)?.object?.spec;
    if (Array.isArray(spec?.containers) && spec.containers.length > 0) spec.containers.push(structuredClone(spec.containers[0]));
  },
};

interface Case {
  readonly id: number;
  readonly mutations: string[];
  readonly body: string;
  readonly uid: string;
  readonly pod: unknown;
}

function fuzzCase(id: number, r: Random): Case {
  const review = admissionReview(basePod(r), { uid: `uid-${id}`, operation: pick(r, ['CREATE', 'CREATE', 'CREATE', 'UPDATE']) });
  const mutations: string[] = [];
  for (let n = Math.floor(r() * 4); n > 0; n--) {
    const name = pick(r, Object.keys(MUTATIONS));
    MUTATIONS[name]?.(review, r);
    mutations.push(name);
  }
  let body = JSON.stringify(review);
  if (r() < 0.15) {
    const at = Math.floor(r() * body.length);
    body = r() < 0.5 ? body.slice(0, at) : body.slice(0, at) + String.fromCharCode(body.charCodeAt(at) ^ (1 << Math.floor(r() * 7))) + body.slice(at + 1);
    mutations.push('text');
  }
  // What the webhook sees is the text: the uid and pod it must answer for are read back from it.
  let sent: { request?: { uid?: unknown; object?: unknown } } | undefined;
  try {
    sent = JSON.parse(body) as typeof sent;
  } catch {
    sent = undefined;
  }
  const request = sent?.request;
  return { id, mutations, body, uid: typeof request?.uid === 'string' ? request.uid : '', pod: request?.object };
}

function post(path: string, body: string, method = 'POST'): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: webhook.port, path, method, ca: certs.caPem, headers: { 'content-type': 'application/json' }, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', (err) => resolve({ status: -1, text: String(err) }));
    req.end(body);
  });
}

const optedOut = (pod: unknown): boolean => {
  const meta = (pod as { metadata?: { labels?: unknown; annotations?: unknown } } | undefined)?.metadata;
  const value = (m: unknown): unknown => (m !== null && typeof m === 'object' ? (m as Record<string, unknown>)['sidecar.istio.io/inject'] : undefined);
  return value(meta?.labels) === 'false' || (value(meta?.labels) === undefined && value(meta?.annotations) === 'false');
};

/** What is wrong with one answer ('' when nothing). */
function judge(k: Case, status: number, text: string): string {
  if (status === 400) return /"code":"ADMISSION_MALFORMED","message":"[^"]+/.test(text) ? '' : `400 without code/message: ${text.slice(0, 200)}`;
  if (status !== 200) return `status ${status}: ${text.slice(0, 200)}`;
  const review = JSON.parse(text) as AdmissionReviewResponse;
  const res = review.response;
  if (review.kind !== 'AdmissionReview' || res.uid !== k.uid || res.allowed !== true) return `bad review ${text.slice(0, 200)}`;
  if ((res.warnings ?? []).some((w) => w.length > 120)) return 'a warning over 120 characters';
  if (res.patch === undefined) return '';
  if (optedOut(k.pod)) return 'injected a pod that opted out';
  const ops = JSON.parse(Buffer.from(res.patch, 'base64').toString('utf8')) as JsonPatchOp[];
  try {
    const patched = applyPatch(k.pod, ops) as { spec?: { containers?: { name?: string }[] } };
    return patched.spec?.containers?.some((c) => c.name === 'istio-proxy') === true ? '' : 'a patch without the istio-proxy container';
  } catch (err) {
    return `the patch does not apply: ${String(err)}`;
  }
}

beforeAll(async () => {
  webhook = await startInjectionWebhook({ host: '127.0.0.1', port: 0, tls: certs, meshConfig: TEST_MESH, getNamespaceLabels: async () => ENABLED_NAMESPACE });
}, 30_000);
afterAll(() => webhook.close());

describe(`admission webhook fuzz (seed ${SEED}, ${ITERATIONS} bodies)`, () => {
  it('answers every body 200 for its uid or 400 with a reason, never injects an opted-out pod, never dies', async () => {
    const random = mulberry32(SEED);
    const cases = Array.from({ length: ITERATIONS }, (_, i) => fuzzCase(i, random));
    const { problems, outcomes } = await runFuzzCases(cases, PARALLEL, async (k) => {
      const { status, text } = await post('/inject', k.body);
      const outcome = status === 200 ? (text.includes('"patch"') ? '200 patched' : '200 unchanged') : String(status);
      return { outcome, problem: judge(k, status, text) };
    });
    expect({ seed: SEED, problems }).toEqual({ seed: SEED, problems: [] });
    // The fuzz reaches both sides: injected pods and refused envelopes.
    if (ITERATIONS >= 100) expect(Object.keys(outcomes)).toEqual(expect.arrayContaining(['200 patched', '400']));
    expect((await post('/ready', '', 'GET')).status).toBe(200);
  }, 120_000);
});
