import { stringify } from 'yaml';
import { ALL_KINDS, type KindInfo } from '../schema/kinds';
import { anyObject, obj, type JsonSchema } from '../schema/json-schema';

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
}

function versionEntry(info: KindInfo, version: string, storage: boolean): Record<string, unknown> {
  const schema: JsonSchema = obj({ spec: info.spec(), status: anyObject() });
  const entry: Record<string, unknown> = {};
  if (info.printerColumns.length > 0) entry['additionalPrinterColumns'] = info.printerColumns.map((c) => ({ ...c }));
  Object.assign(entry, {
    name: version,
    schema: { openAPIV3Schema: schema },
    served: true,
    storage,
    subresources: { status: {} },
  });
  return entry;
}

/** The CustomResourceDefinition of one kind: every version served, the newest (`v1`) stored. */
export function generateCrd(info: KindInfo): CustomResourceDefinition {
  const last = info.versions.length - 1;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${info.plural}.${info.group}`,
      labels: { app: 'istio-pilot', chart: 'istio', heritage: 'Tiller', release: 'istio' },
    },
    spec: {
      group: info.group,
      names: {
        categories: [...info.categories],
        kind: info.kind,
        listKind: `${info.kind}List`,
        plural: info.plural,
        ...(info.shortNames.length > 0 ? { shortNames: [...info.shortNames] } : {}),
        singular: info.singular,
      },
      scope: 'Namespaced',
      versions: info.versions.map((v, i) => versionEntry(info, v, i === last)),
    },
  };
}

/** CRDs for every Istio kind Trellis understands, in a stable order (by group, then kind). */
export function generateCrds(): CustomResourceDefinition[] {
  return ALL_KINDS.filter((k) => k.group.endsWith('istio.io')) // the Gateway API's CRDs are upstream's
    .sort((a, b) => a.group.localeCompare(b.group) || a.plural.localeCompare(b.plural))
    .map(generateCrd);
}

const HEADER = '# GENERATED FILE - do not edit. Regenerate with:\n#   UPDATE_GOLDEN=1 npx jest -c libs/mesh/api/jest.config.js crd\n';

/** The CRDs as one multi-document YAML stream (the content of `deploy/crds/crds.yaml`). */
export function renderCrdsYaml(): string {
  const docs = generateCrds().map((crd) => stringify(crd, { lineWidth: 0, aliasDuplicateObjects: false }));
  return HEADER + docs.map((d) => `---\n${d}`).join('');
}
