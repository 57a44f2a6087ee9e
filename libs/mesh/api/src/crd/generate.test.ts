import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { generateCrds, renderCrdsYaml, type JsonSchema } from '../index';

const GOLDEN = resolve(__dirname, '../../../../../deploy/crds/crds.yaml');

type Version = {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: JsonSchema };
  additionalPrinterColumns?: { name: string; jsonPath: string; type: string }[];
};
type Spec = { group: string; names: { kind: string; plural: string; shortNames?: string[] }; versions: Version[] };

const specOf = (kind: string): Spec => {
  const crd = generateCrds().find((c) => (c.spec as Spec).names.kind === kind);
  if (crd === undefined) throw new Error(`no CRD for ${kind}`);
  return crd.spec as Spec;
};

/** Kubernetes structural schema rules that matter here: typed nodes, no $ref, no additionalProperties:false, no properties+additionalProperties. */
function structuralProblems(s: JsonSchema, path: string): string[] {
  const out: string[] = [];
  if (s.type === undefined && !s['x-kubernetes-preserve-unknown-fields']) out.push(`${path}: no type`);
  if (s.additionalProperties === false) out.push(`${path}: additionalProperties false`);
  if (s.additionalProperties !== undefined && s.properties !== undefined) out.push(`${path}: properties and additionalProperties`);
  if ('$ref' in s) out.push(`${path}: $ref`);
  for (const [k, v] of Object.entries(s.properties ?? {})) out.push(...structuralProblems(v, `${path}.${k}`));
  if (typeof s.additionalProperties === 'object') out.push(...structuralProblems(s.additionalProperties, `${path}.*`));
  if (s.items !== undefined) out.push(...structuralProblems(s.items, `${path}[]`));
  return out;
}

describe('generateCrds', () => {
  it('deploy/crds/crds.yaml is up to date (UPDATE_GOLDEN=1 regenerates it)', () => {
    const text = renderCrdsYaml();
    if (process.env['UPDATE_GOLDEN'] === '1') {
      mkdirSync(dirname(GOLDEN), { recursive: true });
      writeFileSync(GOLDEN, text);
    }
    expect(existsSync(GOLDEN)).toBe(true);
    expect(readFileSync(GOLDEN, 'utf8')).toBe(text);
    const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    expect(docs.map((d) => d.metadata.name)).toEqual([
      'destinationrules.networking.istio.io',
      'envoyfilters.networking.istio.io',
      'gateways.networking.istio.io',
      'serviceentries.networking.istio.io',
      'sidecars.networking.istio.io',
      'virtualservices.networking.istio.io',
      'authorizationpolicies.security.istio.io',
      'peerauthentications.security.istio.io',
      'requestauthentications.security.istio.io',
      'telemetries.telemetry.istio.io',
    ]);
  });

  it('serves every version and stores v1', () => {
    expect(specOf('VirtualService').versions.map((v) => [v.name, v.served, v.storage])).toEqual([
      ['v1alpha3', true, false],
      ['v1beta1', true, false],
      ['v1', true, true],
    ]);
    expect(specOf('AuthorizationPolicy').versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1beta1', false],
      ['v1', true],
    ]);
  });

  it('has Istio short names and printer columns', () => {
    const short = (k: string): string[] | undefined => specOf(k).names.shortNames;
    expect([short('VirtualService'), short('DestinationRule'), short('Gateway'), short('ServiceEntry')]).toEqual([['vs'], ['dr'], ['gw'], ['se']]);
    expect([short('PeerAuthentication'), short('AuthorizationPolicy'), short('RequestAuthentication')]).toEqual([['pa'], ['ap'], ['ra']]);
    const cols = (k: string): string[] => (specOf(k).versions[2] ?? specOf(k).versions[1])!.additionalPrinterColumns!.map((c) => `${c.name}=${c.jsonPath}`);
    expect(cols('VirtualService')).toEqual(['Gateways=.spec.gateways', 'Hosts=.spec.hosts', 'Age=.metadata.creationTimestamp']);
    expect(cols('DestinationRule')).toEqual(['Host=.spec.host', 'Age=.metadata.creationTimestamp']);
    expect(cols('Gateway')).toEqual(['Age=.metadata.creationTimestamp']);
  });

  it('produces structural schemas', () => {
    for (const crd of generateCrds()) {
      for (const v of (crd.spec as Spec).versions) {
        expect(structuralProblems(v.schema.openAPIV3Schema, `${crd.metadata.name}/${v.name}`)).toEqual([]);
      }
    }
  });
});
