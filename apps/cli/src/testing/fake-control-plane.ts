import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import type { AnyResource, MeshService, WorkloadInstance } from '@trellis/mesh-api';
import type { ReportedAnalysisMessage } from '@trellis/mesh-config';
import type { ConfigDump, SyncStatus } from '../client/api-types';
import type { CliIo } from '../io';
import { run } from '../run';

/**
 * A minimal in-memory stand-in for the control plane's HTTP API (the real one is built
 * concurrently): exactly the request/response shapes of the contract, nothing more.
 */
export interface FakeControlPlane {
  url: string;
  store: Map<string, AnyResource>;
  analysis: ReportedAnalysisMessage[];
  syncz: SyncStatus[];
  dumps: Record<string, ConfigDump>;
  services: MeshService[];
  workloads: WorkloadInstance[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, url: URL, body: unknown) => [number, unknown];

function key(kind: string, ns: string, name: string): string {
  return `${kind}/${ns}/${name}`;
}

export async function startFakeControlPlane(): Promise<FakeControlPlane> {
  const fake = { store: new Map<string, AnyResource>(), analysis: [] as ReportedAnalysisMessage[], syncz: [] as SyncStatus[], dumps: {} as Record<string, ConfigDump>, services: [] as MeshService[], workloads: [] as WorkloadInstance[] };
  const handler: Handler = (req, url, body) => route(fake, req.method ?? 'GET', url, body);
  const server: Server = createServer((req, res) => void serve(req, res, handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { ...fake, url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

async function serve(req: IncomingMessage, res: ServerResponse, handler: Handler): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const [status, body] = handler(req, new URL(req.url ?? '/', 'http://x'), text ? JSON.parse(text) : undefined);
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function route(fake: Omit<FakeControlPlane, 'url' | 'close'>, method: string, url: URL, body: unknown): [number, unknown] {
  const ns = url.searchParams.get('namespace') ?? undefined;
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const objects = ((body as { objects?: AnyResource[] } | undefined)?.objects ?? []).map((o) => ({
    ...o,
    metadata: { ...o.metadata, namespace: o.metadata.namespace ?? ns ?? 'default' },
  }));
  const notFound: [number, unknown] = [404, { error: { code: 'NOT_FOUND', message: 'not found' } }];
  const result = (o: AnyResource, action: string) => ({ kind: o.kind, apiVersion: o.apiVersion, namespace: o.metadata.namespace, name: o.metadata.name, action });
  const path = parts.join('/');
  if (method === 'POST' && path === 'api/v1/config/apply') return apply(fake.store, objects, result);
  if (method === 'POST' && path === 'api/v1/config/delete') {
    return [200, { results: objects.map((o) => result(o, fake.store.delete(key(o.kind, o.metadata.namespace!, o.metadata.name)) ? 'deleted' : 'not found')) }];
  }
  if (parts[0] === 'api' && parts[2] === 'config' && parts.length === 4) {
    return [200, { items: [...fake.store.values()].filter((o) => o.kind === parts[3] && (!ns || o.metadata.namespace === ns)) }];
  }
  if (parts[0] === 'api' && parts[2] === 'config' && parts.length === 6) {
    const k = key(parts[3]!, parts[4]!, parts[5]!);
    const found = fake.store.get(k);
    if (!found) return notFound;
    if (method === 'DELETE') fake.store.delete(k);
    return [200, found];
  }
  if (path === 'api/v1/registry/services') return [200, { items: fake.services }];
  if (path === 'api/v1/registry/workloads') return [200, { items: fake.workloads }];
  if (path === 'api/v1/analyze') return [200, { messages: fake.analysis }];
  if (path === 'debug/syncz') return [200, fake.syncz];
  if (path === 'debug/config_dump') return fake.dumps[url.searchParams.get('proxyID') ?? ''] ? [200, fake.dumps[url.searchParams.get('proxyID')!]] : notFound;
  if (path === 'version') return [200, { version: '0.1.0-fake' }];
  return notFound;
}

function apply(store: Map<string, AnyResource>, objects: AnyResource[], result: (o: AnyResource, a: string) => unknown): [number, unknown] {
  const invalid = objects.filter((o) => o.kind === 'VirtualService' && !(o.spec as { hosts?: unknown })?.hosts);
  if (invalid.length > 0) {
    const details = invalid.map((o) => ({ kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, path: 'spec.hosts', message: 'at least one host is required' }));
    return [422, { error: { code: 'VALIDATION_FAILED', message: 'validation failed', details } }];
  }
  const results = objects.map((o) => {
    const k = key(o.kind, o.metadata.namespace!, o.metadata.name);
    const previous = store.get(k);
    if (previous && JSON.stringify(previous.spec) === JSON.stringify(o.spec)) return result(o, 'unchanged');
    store.set(k, { ...o, metadata: { ...o.metadata, creationTimestamp: previous?.metadata.creationTimestamp ?? new Date(Date.now() - 5000).toISOString() } });
    return result(o, previous ? 'configured' : 'created');
  });
  return [200, { results }];
}

/** Runs the CLI with captured output. */
export async function runCli(argv: string[], options: { env?: Record<string, string>; cwd?: string; stdin?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const io: CliIo = { stdout, stderr, stdin: Readable.from([Buffer.from(options.stdin ?? '')]), env: options.env ?? {}, cwd: options.cwd ?? process.cwd() };
  const code = await run(argv, io);
  return { code, stdout: out, stderr: err };
}
