import { TrellisError } from '@trellis/shared';
import type { AnyResource, MeshService, WorkloadInstance } from '@trellis/mesh-api';
import type {
  AnalyzeRequest,
  AnalyzeResponse,
  ApplyResponse,
  ConfigListResponse,
  ConfigObjectsRequest,
  DeleteResponse,
  RegistryListResponse,
  ReportedAnalysisMessage,
} from '@trellis/mesh-config';
import type { ConfigDump, SyncStatus } from './api-types';
import type { MeshBackend } from './backend';
import { JsonHttp, type HttpResult } from './http';
import { localAdminGet } from './proxy-admin';

/** Raised for any non-2xx answer; `context.status` and the server's `{error:{code}}` are kept. */
export const API_ERROR = 'API_ERROR';

/** The local control plane's HTTP API, one method per endpoint. */
export class HttpBackend implements MeshBackend {
  readonly target = 'local';
  private readonly http: JsonHttp;

  constructor(readonly baseUrl: string) {
    this.http = new JsonHttp(baseUrl);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  async apply(objects: AnyResource[], namespace: string): Promise<ApplyResponse['results']> {
    const request: ConfigObjectsRequest = { objects };
    const body = await this.call('POST', `/api/v1/config/apply${query({ namespace })}`, request);
    return field<ApplyResponse, 'results'>(body, 'results');
  }

  async deleteObjects(objects: AnyResource[], namespace: string): Promise<DeleteResponse['results']> {
    const request: ConfigObjectsRequest = { objects };
    const body = await this.call('POST', `/api/v1/config/delete${query({ namespace })}`, request);
    return field<DeleteResponse, 'results'>(body, 'results');
  }

  async list(kind: string, namespace?: string): Promise<AnyResource[]> {
    const body = await this.call('GET', `/api/v1/config/${enc(kind)}${query({ namespace })}`);
    return field<ConfigListResponse, 'items'>(body, 'items');
  }

  /** The API answers one IstioConfig. */
  async get(kind: string, namespace: string, name: string): Promise<AnyResource> {
    return (await this.call('GET', `/api/v1/config/${enc(kind)}/${enc(namespace)}/${enc(name)}`)) as AnyResource;
  }

  async deleteOne(kind: string, namespace: string, name: string): Promise<void> {
    await this.call('DELETE', `/api/v1/config/${enc(kind)}/${enc(namespace)}/${enc(name)}`);
  }

  async analyze(objects: AnyResource[] | undefined, namespace: string | undefined): Promise<ReportedAnalysisMessage[]> {
    const request: AnalyzeRequest = { objects, namespace };
    return field<AnalyzeResponse, 'messages'>(await this.call('POST', '/api/v1/analyze', request), 'messages');
  }

  async services(): Promise<MeshService[]> {
    return field<RegistryListResponse<MeshService>, 'items'>(await this.call('GET', '/api/v1/registry/services'), 'items');
  }

  async workloads(): Promise<WorkloadInstance[]> {
    return field<RegistryListResponse<WorkloadInstance>, 'items'>(await this.call('GET', '/api/v1/registry/workloads'), 'items');
  }

  async syncz(): Promise<SyncStatus[]> {
    return syncStatusesOf(await this.call('GET', '/debug/syncz'));
  }

  async proxyAdmin(proxyId: string, _namespace: string, adminPath: string): Promise<unknown> {
    return localAdminGet(await this.syncz(), proxyId, adminPath);
  }

  async configDump(proxyID: string): Promise<ConfigDump> {
    return configDumpOf(await this.call('GET', `/debug/config_dump${query({ proxyID })}`));
  }

  async version(): Promise<Record<string, unknown>> {
    return versionOf(await this.call('GET', '/version'));
  }

  private async call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const res = await this.http.send(method, path, body);
    if (res.status >= 200 && res.status < 300) return res.body;
    throw apiError(res, `${method} ${path}`);
  }
}

function apiError(res: HttpResult, request: string): TrellisError {
  const envelope = res.body && typeof res.body === 'object' ? (res.body as { error?: Record<string, unknown> }).error : undefined;
  const serverCode = typeof envelope?.['code'] === 'string' ? envelope['code'] : undefined;
  const message =
    typeof envelope?.['message'] === 'string'
      ? envelope['message']
      : typeof res.body === 'string' && res.body !== ''
        ? res.body
        : `HTTP ${res.status}`;
  return new TrellisError(API_ERROR, message, {
    status: res.status,
    serverCode: serverCode ?? (res.status === 404 ? 'NOT_FOUND' : undefined),
    details: envelope?.['details'],
    request,
  });
}

/** True when an error is the API's 404. */
export function isNotFound(err: unknown): boolean {
  return err instanceof TrellisError && err.code === API_ERROR && err.context['status'] === 404;
}

/** `/debug/syncz`'s answer (an array of SyncStatus). */
export function syncStatusesOf(body: unknown): SyncStatus[] {
  return Array.isArray(body) ? (body as SyncStatus[]) : [];
}

/** `/debug/config_dump`'s answer with every section present. */
export function configDumpOf(body: unknown): ConfigDump {
  const dump = (body && typeof body === 'object' ? body : {}) as Partial<ConfigDump>;
  return {
    listeners: dump.listeners ?? [],
    routes: dump.routes ?? [],
    clusters: dump.clusters ?? [],
    endpoints: dump.endpoints ?? [],
  };
}

/** `/version`'s answer as an object. */
export function versionOf(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

/** An array field of a response body (empty when the body lacks it). */
function field<B, K extends keyof B>(body: unknown, name: K & string): B[K] {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return (Array.isArray(value) ? value : []) as B[K];
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}

function query(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  return entries.length === 0 ? '' : '?' + new URLSearchParams(entries).toString();
}
