import { applyYaml } from './mtls-probes';
import { removeStateDir, startStack, type TestStack } from './stack';
import { getPage, sample, trellis, type PageView } from './user';

// Istio's authz-http task (bookinfo-spec §5.10) on Bookinfo in local mode, with the default mTLS:
// allow-nothing → 403 `RBAC: access denied`; productpage-viewer → the page without details/reviews;
// details-viewer + reviews-viewer (productpage's principal) → ratings unavailable; ratings-viewer →
// stars. reviews is routed to v3 (as istio.io's test does) so ratings is always called.
jest.setTimeout(240_000);

const policy = (name: string, body: string): string => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ${name}
  namespace: default
spec:
${body}`;

const ALLOW_NOTHING = policy('allow-nothing', '  {}\n');
const viewer = (name: string, app: string, principal?: string): string =>
  policy(
    name,
    `  selector:
    matchLabels:
      app: ${app}
  action: ALLOW
  rules:
  - ${principal === undefined ? '' : `from:
    - source:
        principals: ["${principal}"]
    `}to:
    - operation:
        methods: ["GET"]
`,
  );
const PRODUCTPAGE_VIEWER = viewer('productpage-viewer', 'productpage');
const DETAILS_VIEWER = viewer('details-viewer', 'details', 'cluster.local/ns/default/sa/bookinfo-productpage');
const REVIEWS_VIEWER = viewer('reviews-viewer', 'reviews', 'cluster.local/ns/default/sa/bookinfo-productpage');
const RATINGS_VIEWER = viewer('ratings-viewer', 'ratings', 'cluster.local/ns/default/sa/bookinfo-reviews');

let stack: TestStack;

/** Loads /productpage until `ok` holds (policies reach the sidecars asynchronously), bounded. */
async function pageUntil(ok: (v: PageView) => boolean, what: string, timeoutMs = 15_000): Promise<PageView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await getPage(stack.gatewayUrl);
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: last page ${v.status}: ${v.body.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const has = (v: PageView, ...texts: string[]): boolean => texts.every((t) => v.body.includes(t));

describe('authorization for HTTP traffic (§5.10) in local mode', () => {
  beforeAll(async () => {
    stack = await startStack();
    for (const f of ['destination-rule-all.yaml', 'virtual-service-reviews-v3.yaml']) {
      const r = await trellis(stack.stateDir, 'apply', '-f', sample(f));
      expect(r.code).toBe(0);
    }
    await pageUntil((v) => v.status === 200 && v.color === 'red', 'reviews v3 (red stars)');
  });
  afterAll(async () => {
    const code = await stack?.stop();
    if (stack !== undefined) removeStateDir(stack.stateDir);
    expect(code).toBe(0);
  });

  it('allow-nothing: /productpage → 403 RBAC: access denied', async () => {
    await applyYaml(stack.stateDir, ALLOW_NOTHING);
    const v = await pageUntil((p) => p.status === 403, 'allow-nothing');
    expect(v.body).toBe('RBAC: access denied');
  });

  it('productpage-viewer: the page, without details and reviews', async () => {
    await applyYaml(stack.stateDir, PRODUCTPAGE_VIEWER);
    const v = await pageUntil((p) => p.status === 200 && has(p, 'Error fetching product details', 'Error fetching product reviews'), 'productpage-viewer');
    expect(v.body).toContain('William Shakespeare');
  });

  it('details-viewer and reviews-viewer (productpage’s principal): details and reviews, ratings unavailable', async () => {
    await applyYaml(stack.stateDir, DETAILS_VIEWER);
    await applyYaml(stack.stateDir, REVIEWS_VIEWER);
    const v = await pageUntil((p) => p.status === 200 && has(p, 'PublisherA', 'Ratings service is currently unavailable'), 'details/reviews-viewer');
    expect(v.body).toContain('William Shakespeare');
  });

  it('ratings-viewer (reviews’ principal): stars again', async () => {
    await applyYaml(stack.stateDir, RATINGS_VIEWER);
    const v = await pageUntil((p) => p.status === 200 && p.stars > 0, 'ratings-viewer');
    expect(has(v, 'Book Details', 'Book Reviews', 'glyphicon glyphicon-star')).toBe(true);
    expect(v.color).toBe('red');
  });

  it('cleanup: deleting the five policies restores the page', async () => {
    for (const y of [ALLOW_NOTHING, PRODUCTPAGE_VIEWER, DETAILS_VIEWER, REVIEWS_VIEWER, RATINGS_VIEWER]) await applyYaml(stack.stateDir, y, 'delete');
    await pageUntil((p) => p.status === 200 && p.stars > 0 && !p.body.includes('Error fetching'), 'cleanup');
  });
});
