import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze, collectConfigs, formatMessage, parseYamlDocuments, validateConfig, type MeshService } from './index';

const ROOT = resolve(__dirname, '../../../..');
const NETWORKING = join(ROOT, 'samples/bookinfo/networking');

function load(file: string): unknown[] {
  const { objects, errors } = parseYamlDocuments(readFileSync(file, 'utf8'), file);
  expect(errors).toEqual([]);
  return objects;
}

function configs(name: string): ReturnType<typeof validateConfig>['valid'] {
  const { valid, errors } = validateConfig(load(join(NETWORKING, name)));
  expect(errors).toEqual([]);
  return valid;
}

/** The Services of bookinfo.yaml, as the registry would hold them. */
function bookinfoServices(): MeshService[] {
  type KubeService = { kind: string; metadata: { name: string }; spec: { selector: Record<string, string>; ports: { name: string; port: number }[] } };
  const docs = load(join(ROOT, 'samples/bookinfo/platform/kube/bookinfo.yaml')) as KubeService[];
  return docs
    .filter((d) => d.kind === 'Service')
    .map((d) => ({
      name: d.metadata.name,
      namespace: 'default',
      hostname: `${d.metadata.name}.default.svc.cluster.local`,
      selector: d.spec.selector,
      ports: d.spec.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: 'HTTP' as const })),
    }));
}

describe('samples/bookinfo', () => {
  const files = readdirSync(NETWORKING).filter((f) => f.endsWith('.yaml'));

  it('has the networking samples Istio has', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'bookinfo-gateway.yaml',
        'destination-rule-all.yaml',
        'destination-rule-all-mtls.yaml',
        'destination-rule-reviews.yaml',
        'virtual-service-all-v1.yaml',
        'virtual-service-reviews-test-v2.yaml',
        'virtual-service-reviews-jason-v2-v3.yaml',
        'virtual-service-reviews-50-v3.yaml',
        'virtual-service-reviews-80-20.yaml',
        'virtual-service-reviews-90-10.yaml',
        'virtual-service-reviews-v2-v3.yaml',
        'virtual-service-reviews-v3.yaml',
        'virtual-service-ratings-test-delay.yaml',
        'virtual-service-ratings-test-abort.yaml',
        'virtual-service-details-v2.yaml',
        'fault-injection-details-v1.yaml',
      ]),
    );
  });

  it.each(files)('%s validates with zero errors', (file) => {
    const valid = configs(file);
    expect(valid.length).toBeGreaterThan(0);
    for (const o of valid) expect(o.apiVersion).toBe('networking.istio.io/v1');
  });

  it('bookinfo.yaml has the 4 services, 4 service accounts and 6 deployments in Istio order', () => {
    const docs = load(join(ROOT, 'samples/bookinfo/platform/kube/bookinfo.yaml')) as { kind: string; metadata: { name: string } }[];
    expect(docs.map((d) => `${d.kind.toLowerCase()}/${d.metadata.name}`)).toEqual([
      'service/details', 'serviceaccount/bookinfo-details', 'deployment/details-v1',
      'service/ratings', 'serviceaccount/bookinfo-ratings', 'deployment/ratings-v1',
      'service/reviews', 'serviceaccount/bookinfo-reviews', 'deployment/reviews-v1', 'deployment/reviews-v2', 'deployment/reviews-v3',
      'service/productpage', 'serviceaccount/bookinfo-productpage', 'deployment/productpage-v1',
    ]);
  });

  it('analyzes the gateway + destination-rule-all + virtual-service-all-v1 without findings', () => {
    const objects = [...configs('bookinfo-gateway.yaml'), ...configs('destination-rule-all.yaml'), ...configs('virtual-service-all-v1.yaml')];
    const input = { ...collectConfigs(objects), services: bookinfoServices() };
    // The gateway's selector targets the ingress gateway, which is not part of the registry here.
    expect(analyze(input).map(formatMessage)).toEqual([]);
  });

  it('reports IST0101 for every subset when virtual-service-all-v1 is applied alone', () => {
    const input = { ...collectConfigs(configs('virtual-service-all-v1.yaml')), services: bookinfoServices() };
    expect(analyze(input).map(formatMessage)).toEqual([
      'Error [IST0101] (VirtualService default/details) Referenced host+subset in destinationrule not found: "details+v1"',
      'Error [IST0101] (VirtualService default/productpage) Referenced host+subset in destinationrule not found: "productpage+v1"',
      'Error [IST0101] (VirtualService default/ratings) Referenced host+subset in destinationrule not found: "ratings+v1"',
      'Error [IST0101] (VirtualService default/reviews) Referenced host+subset in destinationrule not found: "reviews+v1"',
    ]);
  });

  it('every reviews/ratings/details routing sample resolves against destination-rule-all', () => {
    const base = [...configs('bookinfo-gateway.yaml'), ...configs('destination-rule-all.yaml')];
    for (const file of files.filter((f) => f.startsWith('virtual-service-'))) {
      const input = { ...collectConfigs([...base, ...configs(file)]), services: bookinfoServices() };
      expect({ file, messages: analyze(input).map(formatMessage) }).toEqual({ file, messages: [] });
    }
  });
});
