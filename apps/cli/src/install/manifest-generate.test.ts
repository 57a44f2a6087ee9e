// Golden tests of `trellis manifest generate` per profile (istioctl's manifest-generate tests do the same).
// The CRDs (315 KB) are compared with deploy/crds/crds.yaml object by object and left out of the golden files.
// Regenerate after a deliberate deploy/ change: UPDATE_GOLDEN=1 npx jest -c apps/cli/jest.config.js manifest-generate
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { runCli } from '../testing/fake-control-plane';

const repo = path.join(__dirname, '../../../..');
const crds = new Map(
  parseAllDocuments(readFileSync(path.join(repo, 'deploy/crds/crds.yaml'), 'utf8'))
    .map((d) => d.toJS() as { metadata?: { name?: string } } | null)
    .filter((o): o is { metadata: { name: string } } => typeof o?.metadata?.name === 'string')
    .map((o) => [o.metadata.name, o]),
);

/**
 * The output without its CRDs, which must be exactly deploy/crds/crds.yaml's (every one, object for object), so
 * a CRD added there needs no golden update.
 */
function goldenText(yaml: string): string {
  const docs = yaml.split(/^---\n/m).map((doc) => ({ doc, o: parse(doc) as { kind: string; metadata: { name: string } } }));
  const crdDocs = docs.filter((d) => d.o.kind === 'CustomResourceDefinition');
  expect(crdDocs.map((d) => d.o.metadata.name).sort()).toEqual([...crds.keys()].sort());
  for (const { o } of crdDocs) expect(o).toEqual(crds.get(o.metadata.name));
  return docs.filter((d) => d.o.kind !== 'CustomResourceDefinition').map((d) => d.doc).join('---\n');
}

const CASES: Record<string, string[]> = {
  default: [],
  demo: ['--set', 'profile=demo'],
  minimal: ['--set', 'profile=minimal'],
  'demo-no-gateways': ['-f', 'samples/bookinfo/demo-profile-no-gateways.yaml'],
  'registry-only-nodeport': ['--set', 'meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY', '--set', 'values.gateways.istio-ingressgateway.type=NodePort'],
};

describe('trellis manifest generate (golden)', () => {
  it.each(Object.entries(CASES))('%s', async (name, args) => {
    const res = await runCli(['manifest', 'generate', ...args], { cwd: repo, env: {} });
    expect([res.code, res.stderr]).toEqual([0, '']);
    const golden = path.join(__dirname, 'testdata', `manifest-${name}.golden.yaml`);
    const text = goldenText(res.stdout);
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('is what install applies: the profiles differ only in their components and the istio ConfigMap', async () => {
    const kinds = async (...args: string[]) => {
      const stdin = readFileSync(path.join(repo, 'samples/bookinfo/demo-profile-no-gateways.yaml'), 'utf8');
      const out = (await runCli(['manifest', 'generate', ...args], { cwd: repo, env: {}, stdin })).stdout;
      return out.split(/^---\n/m).map((d) => parse(d) as { kind: string; metadata: { name: string } }).filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);
    };
    expect(await kinds()).toEqual(['istiod', 'istio-ingressgateway']);
    expect(await kinds('--set', 'profile=demo')).toEqual(['istiod', 'istio-egressgateway', 'istio-ingressgateway']);
    expect(await kinds('--set', 'profile=minimal')).toEqual(['istiod']);
    expect(await kinds('-f', '-')).toEqual(['istiod']);
    expect((await runCli(['manifest', 'generate', '-f', '-', '-f', 'x.yaml'], { cwd: repo, env: {}, stdin: '' })).stderr).toBe('Error: stdin is only allowed as the last filename\n');
    // --set wins over the profile and over -f, in order
    expect(await kinds('--set', 'profile=demo', '--set', 'components.egressGateways[name:istio-egressgateway].enabled=false')).toEqual(['istiod', 'istio-ingressgateway']);
    expect(await kinds('-f', 'samples/bookinfo/demo-profile-no-gateways.yaml', '--set', 'components.ingressGateways[0].enabled=true')).toEqual(['istiod', 'istio-ingressgateway']);
  });
});
