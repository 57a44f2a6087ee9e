/**
 * The control plane's HTTP API (libs/mesh/config/src/http) as the Kiali backend uses it: the registry
 * (Services, pods), the config store (list, get, apply, delete) and `trellis analyze`. The same path as
 * `trellis apply`, so the UI's writes are validated and stored exactly as the CLI's. Every call is
 * bounded; an unreachable control plane is CONTROL_PLANE_UNAVAILABLE, its error bodies keep their code.
 */
import { request } from 'undici';
import type { AnyResource, IstioConfig, MeshService, WorkloadInstance } from '@trellis/mesh-api';
import type { AnalyzeResponse, ApplyResponse, ConfigListResponse, DeleteResponse, RegistryListResponse, ReportedAnalysisMessage } from '@trellis/mesh-config';
import { errorMessage, TrellisError } from '@trellis/shared';

export interface ControlPlaneClient {
  services(): Promise<MeshService[]>;
  workloads(): Promise<WorkloadInstance[]>;
  /** Objects of one kind (plural or short name as the API takes it), optionally in one namespace. */
  list(kind: string, namespace?: string): Promise<IstioConfig[]>;
  get(kind: string, namespace: string, name: string): Promise<IstioConfig | undefined>;
  apply(objects: readonly AnyResource[], namespace: string): Promise<ApplyResponse>;
  delete(kind: string, namespace: string, name: string): Promise<DeleteResponse>;
  analyze(namespace?: string): Promise<ReportedAnalysisMessage[]>;
  /** The proxies connected over ADS (`/debug/syncz`), as the control plane reports them. */
  connectedProxies(): Promise<ConnectedProxy[]>;
}

export interface ConnectedProxy {
  /** `sidecar` or `router` (gateways). */
  type: string;
  /** The pod's name. */
  name: string;
  namespace: string;
  address: string;
  labels: Record<string, string>;
  serviceAccount: string;
}

interface SynczEntry {
  proxy?: { type?: string; workloadName?: string; namespace?: string; ipAddress?: string; labels?: Record<string, string>; serviceAccount?: string };
}

interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: { kind?: string; name?: string; path?: string; message?: string }[] };
}

/** The control plane's `{error: {code, message, details}}` as a TrellisError (the first detail names the field). */
export function upstreamError(status: number, body: unknown): TrellisError {
  const err = (body as ApiErrorBody | undefined)?.error;
  const code = err?.code ?? (status === 404 ? 'NOT_FOUND' : 'CONTROL_PLANE_UNAVAILABLE');
  const first = err?.details?.[0];
  const field = first?.path !== undefined ? { field: first.path, reason: first.message ?? '' } : {};
  const base = err?.message ?? `control plane answered ${status}`;
  const message = first?.path !== undefined && first.message !== undefined && !base.includes(first.path) ? `${base}: ${first.path} ${first.message}` : base;
  return new TrellisError(code, message, { status, ...field, ...(err?.details !== undefined && { details: err.details }) });
}

export function controlPlaneClient(baseUrl: string, timeoutMs = 5000): ControlPlaneClient {
  async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; json: T | undefined }> {
    let res;
    try {
      res = await request(baseUrl + path, {
        method,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
        ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new TrellisError('CONTROL_PLANE_UNAVAILABLE', `the control plane at ${baseUrl} did not answer`, { url: baseUrl + path, reason: errorMessage(err) });
    }
    const text = await res.body.text();
    const json = text === '' ? undefined : (JSON.parse(text) as T);
    if (res.statusCode >= 400 && !(method === 'GET' && res.statusCode === 404)) throw upstreamError(res.statusCode, json);
    return { status: res.statusCode, json };
  }
  const enc = encodeURIComponent;
  const nsQuery = (namespace?: string): string => (namespace === undefined ? '' : `?namespace=${enc(namespace)}`);
  return {
    services: async () => (await call<RegistryListResponse<MeshService>>('GET', '/api/v1/registry/services')).json?.items ?? [],
    workloads: async () => (await call<RegistryListResponse<WorkloadInstance>>('GET', '/api/v1/registry/workloads')).json?.items ?? [],
    list: async (kind, namespace) => (await call<ConfigListResponse>('GET', `/api/v1/config/${enc(kind)}${nsQuery(namespace)}`)).json?.items ?? [],
    get: async (kind, namespace, name) => {
      const res = await call<IstioConfig>('GET', `/api/v1/config/${enc(kind)}/${enc(namespace)}/${enc(name)}`);
      return res.status === 404 ? undefined : res.json;
    },
    apply: async (objects, namespace) => (await call<ApplyResponse>('POST', `/api/v1/config/apply${nsQuery(namespace)}`, { objects })).json ?? { results: [] },
    delete: async (kind, namespace, name) => (await call<DeleteResponse>('DELETE', `/api/v1/config/${enc(kind)}/${enc(namespace)}/${enc(name)}`)).json ?? { results: [] },
    connectedProxies: async () => {
      const res = await call<SynczEntry[]>('GET', '/debug/syncz');
      const entries = res.status === 200 && Array.isArray(res.json) ? res.json : [];
      return entries.map(({ proxy: p }) => ({ type: p?.type ?? '', name: p?.workloadName ?? '', namespace: p?.namespace ?? '', address: p?.ipAddress ?? '', labels: p?.labels ?? {}, serviceAccount: p?.serviceAccount ?? '' }));
    },
    analyze: async (namespace) => (await call<AnalyzeResponse>('POST', '/api/v1/analyze', namespace === undefined ? {} : { namespace })).json?.messages ?? [],
  };
}
