import { request } from 'undici';
import { TrellisError } from '@trellis/shared';
import type { IstioConfig, MeshService, WorkloadInstance } from '@trellis/mesh-api';

export interface ApplyResult {
  kind: string;
  namespace: string;
  name: string;
  action: string;
}

/** The few control-plane API calls the local runner makes (registry + initial config). */
export class ControlPlaneClient {
  constructor(private readonly baseUrl: string) {}

  async registerService(svc: MeshService): Promise<void> {
    await this.call('PUT', `/api/v1/registry/services/${svc.namespace}/${svc.name}`, svc);
  }

  async registerWorkload(w: WorkloadInstance): Promise<void> {
    await this.call('PUT', `/api/v1/registry/workloads/${w.namespace}/${w.name}`, w);
  }

  async removeService(namespace: string, name: string): Promise<void> {
    await this.call('DELETE', `/api/v1/registry/services/${namespace}/${name}`);
  }

  async services(): Promise<MeshService[]> {
    return ((await this.call('GET', '/api/v1/registry/services')) as { items: MeshService[] }).items;
  }

  /** Stored config of one kind (any name the config API resolves: `gatewayclasses`, `gateways.gateway.networking.k8s.io`). */
  async config(kind: string): Promise<IstioConfig[]> {
    return ((await this.call('GET', `/api/v1/config/${kind}`)) as { items: IstioConfig[] }).items;
  }

  async workloads(): Promise<WorkloadInstance[]> {
    return ((await this.call('GET', '/api/v1/registry/workloads')) as { items: WorkloadInstance[] }).items;
  }

  async removeWorkload(namespace: string, name: string): Promise<void> {
    await this.call('DELETE', `/api/v1/registry/workloads/${namespace}/${name}`);
  }

  async apply(objects: unknown[], namespace = 'default'): Promise<ApplyResult[]> {
    const body = await this.call('POST', `/api/v1/config/apply?namespace=${namespace}`, { objects });
    return (body as { results: ApplyResult[] }).results;
  }

  private async call(method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, payload?: unknown): Promise<unknown> {
    const res = await request(this.baseUrl + path, {
      method,
      headers: payload === undefined ? {} : { 'content-type': 'application/json' },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    const text = await res.body.text();
    if (res.statusCode >= 300) {
      throw new TrellisError('CONTROL_PLANE_REJECTED', 'control plane rejected a request', {
        method,
        path,
        status: res.statusCode,
        body: text.slice(0, 2000),
      });
    }
    return text ? JSON.parse(text) : {};
  }
}
