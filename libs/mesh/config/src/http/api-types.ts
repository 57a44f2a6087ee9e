import type { AnalysisMessage, AnyResource, IstioConfig, MeshService, ValidationError, WorkloadInstance } from '@trellis/mesh-api';
import type { UpsertAction } from '../registry/service-registry';
import type { ApplyResult, DeleteResult } from '../store/config-store';
import type { SecretResult } from '../secrets/secret-store';

/*
 * The config HTTP API's request and response bodies, shared by the server (the routes in this folder)
 * and its clients (the `trellis` CLI). Every error answer is an `ErrorBody` (http-errors.ts).
 */

/** Body of `POST /api/v1/config/apply?namespace=` and `POST /api/v1/config/delete?namespace=` (delete reads only kind and metadata). */
export interface ConfigObjectsRequest {
  objects: AnyResource[];
}

/** `POST /api/v1/config/apply`: all or nothing (422 `VALIDATION_FAILED` with `ValidationDetail`s otherwise). */
export interface ApplyResponse {
  results: (ApplyResult | SecretResult)[];
}

/** `POST /api/v1/config/delete` and `DELETE /api/v1/config/:kind/:namespace/:name`. */
export interface DeleteResponse {
  results: (DeleteResult | SecretResult)[];
}

/** `GET /api/v1/config/:kind?namespace=`; `GET /api/v1/config/:kind/:namespace/:name` answers one IstioConfig. */
export interface ConfigListResponse {
  items: IstioConfig[];
}

/** Body of `POST /api/v1/analyze`: the stored config overlaid with `objects`, filtered to `namespace` when given. */
export interface AnalyzeRequest {
  objects?: AnyResource[];
  namespace?: string;
}

/** One finding as the API reports it. */
export type ReportedAnalysisMessage = Pick<AnalysisMessage, 'level' | 'code' | 'origin' | 'message'>;

/** `POST /api/v1/analyze`. */
export interface AnalyzeResponse {
  messages: ReportedAnalysisMessage[];
}

/** One entry of a `VALIDATION_FAILED` error's `details`. */
export type ValidationDetail = Pick<ValidationError, 'kind' | 'namespace' | 'name' | 'path' | 'message'>;

/** `GET /api/v1/registry/services` and `GET /api/v1/registry/workloads`. */
export interface RegistryListResponse<T extends MeshService | WorkloadInstance> {
  items: T[];
}

/** `PUT /api/v1/registry/services/:namespace/:name` and `…/workloads/:namespace/:name`. */
export interface RegistryUpsertResponse<T extends MeshService | WorkloadInstance> {
  action: UpsertAction;
  item: T;
}

/** `DELETE /api/v1/registry/services/:namespace/:name` and `…/workloads/:namespace/:name`. */
export interface RegistryDeleteResponse {
  action: 'deleted';
  namespace: string;
  name: string;
}
