/** The Istio Config list (`api/namespaces/{ns}/istio`) and one object's details (`…/istio/{type}/{name}`). */
import type { FastifyInstance } from 'fastify';
import type { IstioConfig } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import { istioConfigList, requestedTypes } from '../model/istio-config-list';
import { objectTypeByPlural, type ObjectType } from '../model/object-types';
import { permissionsFor } from '../model/startup';
import { emptyValidation, validationsFromAnalysis, type Validations } from '../model/validations';
import { boolParam, requireNamespace, stringParam, type KialiApiDeps, type NsParams } from './deps';

export interface ObjectParams extends NsParams {
  objectType: string;
  object: string;
}

/** The type a URL names; NOT_FOUND naming it when Kiali has no such type. */
export function objectTypeParam(plural: string): ObjectType {
  const t = objectTypeByPlural(plural);
  if (t === undefined) throw new TrellisError('NOT_FOUND', `Object type ${plural} not found`, { resource: 'objectType', name: plural });
  return t;
}

async function listTypes(deps: KialiApiDeps, namespace: string, types: readonly ObjectType[]): Promise<Map<string, IstioConfig[]>> {
  const lists = await Promise.all(types.map(async (t) => [t.plural, t.kind === undefined ? [] : await deps.client.list(t.plural, namespace)] as const));
  return new Map(lists);
}

export function registerIstioConfigRoutes(app: FastifyInstance, deps: KialiApiDeps): void {
  app.get<{ Params: NsParams }>('/namespaces/:namespace/istio', async (req) => {
    const ns = req.params.namespace;
    const validate = boolParam(req.query, 'validate');
    await requireNamespace(deps, ns);
    const types = requestedTypes(stringParam(req.query, 'objects'));
    const [byType, messages] = await Promise.all([listTypes(deps, ns, types), validate ? deps.client.analyze(ns) : Promise.resolve([])]);
    const validations: Validations = validate ? validationsFromAnalysis(messages, ns) : {};
    if (validate) {
      for (const t of types) for (const obj of byType.get(t.plural) ?? []) (validations[t.validationKey] ??= {})[obj.metadata.name] ??= emptyValidation(t.validationKey, obj.metadata.name);
    }
    return istioConfigList(ns, byType, validations);
  });

  app.get<{ Params: ObjectParams }>('/namespaces/:namespace/istio/:objectType/:object', async (req) => {
    const { namespace, object } = req.params;
    const t = objectTypeParam(req.params.objectType);
    const found = t.kind === undefined ? undefined : await deps.client.get(t.plural, namespace, object);
    if (found === undefined) throw new TrellisError('NOT_FOUND', `${t.kind ?? t.plural} ${namespace}/${object} not found`, { resource: t.plural, name: object });
    const validation = boolParam(req.query, 'validate') ? (validationsFromAnalysis(await deps.client.analyze(namespace), namespace)[t.validationKey]?.[object] ?? emptyValidation(t.validationKey, object)) : undefined;
    return { namespace: { name: namespace }, [t.detailKey]: found, permissions: permissionsFor(t.plural), ...(validation !== undefined && { validation }) };
  });
}
