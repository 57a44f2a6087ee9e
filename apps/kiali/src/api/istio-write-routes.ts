/**
 * The wizards' writes (Traffic Shifting and the other service wizards): POST, PATCH (JSON merge patch)
 * and DELETE on Istio objects, through the control plane's config API — the same validation and store
 * as `trellis apply`. Only the types the permissions grant (VirtualService, DestinationRule) are
 * writable; a rejected object leaves nothing applied.
 */
import type { FastifyInstance } from 'fastify';
import { TrellisError } from '@trellis/shared';
import { mergePatch, type Json } from '../model/merge-patch';
import type { ObjectType } from '../model/object-types';
import { permissionsFor } from '../model/startup';
import { parseBody, toWritableObject } from '../model/write-object';
import { requireNamespace, type KialiApiDeps, type NsParams } from './deps';
import { objectTypeParam, type ObjectParams } from './istio-config-routes';

function writableType(plural: string, verb: 'create' | 'update' | 'delete'): ObjectType {
  const t = objectTypeParam(plural);
  if (t.kind === undefined || !permissionsFor(t.plural)[verb]) throw new TrellisError('FORBIDDEN', `${t.plural} cannot be ${verb}d from Kiali: use trellis apply`, { resource: t.plural });
  return t;
}

export function registerIstioWriteRoutes(app: FastifyInstance, deps: KialiApiDeps): void {
  app.post<{ Params: NsParams & { objectType: string } }>('/namespaces/:namespace/istio/:objectType', async (req) => {
    const ns = req.params.namespace;
    const t = writableType(req.params.objectType, 'create');
    await requireNamespace(deps, ns);
    const obj = toWritableObject(t, ns, parseBody(req.body, t.kind ?? t.plural));
    if ((await deps.client.get(t.plural, ns, obj.metadata.name)) !== undefined) {
      throw new TrellisError('ALREADY_EXISTS', `${t.kind ?? t.plural} ${ns}/${obj.metadata.name} already exists`, { resource: t.plural, name: obj.metadata.name });
    }
    await deps.client.apply([obj], ns);
    return deps.client.get(t.plural, ns, obj.metadata.name);
  });

  app.patch<{ Params: ObjectParams }>('/namespaces/:namespace/istio/:objectType/:object', async (req) => {
    const { namespace: ns, object: name } = req.params;
    const t = writableType(req.params.objectType, 'update');
    const current = await deps.client.get(t.plural, ns, name);
    if (current === undefined) throw new TrellisError('NOT_FOUND', `${t.kind ?? t.plural} ${ns}/${name} not found`, { resource: t.plural, name });
    const merged = mergePatch(current as unknown as Json, parseBody(req.body, `${t.kind ?? t.plural} ${ns}/${name}`));
    await deps.client.apply([toWritableObject(t, ns, merged, name)], ns);
    return deps.client.get(t.plural, ns, name);
  });

  app.delete<{ Params: ObjectParams }>('/namespaces/:namespace/istio/:objectType/:object', async (req, reply) => {
    const { namespace: ns, object: name } = req.params;
    const t = writableType(req.params.objectType, 'delete');
    await deps.client.delete(t.plural, ns, name);
    return reply.code(200).send({});
  });
}
