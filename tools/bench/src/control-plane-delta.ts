/**
 * `bench:control-plane --delta`: simulated sidecars on DeltaAggregatedResources, subscribing as our
 * proxy does (wildcard CDS/LDS, EDS/RDS by name, and, unless `--no-vhds`, announcing VHDS and
 * subscribing VirtualHost by route config name) and ACKing every response by nonce. Like the SotW
 * ones they read only system_version_info, type URL and nonce; resources and removals are skipped,
 * as they stream in (plain node:http2, control-plane-h2.ts).
 */
import type http2 from 'node:http2';
import { deltaClientMethod, TYPE_URLS, VHDS_CLIENT_FEATURE, VHDS_TYPE_URL, type DeltaDiscoveryRequest } from '@trellis/mesh-xds';
import { GrpcFieldScanner, grpcFrame, grpcStream } from './control-plane-h2';

/** `--no-vhds`: delta proxies that do not announce VHDS (whole RouteConfigurations, as before VHDS). */
export const VHDS = !process.argv.includes('--no-vhds');

/**
 * The string fields of a discovery response, skipping `skip` (resources) unread: simulated proxies
 * on the control plane's 2-core machine would otherwise measure their own decoding. Every field
 * Trellis sends in either response is length-delimited.
 */
export function scanStrings(b: Buffer, skip: readonly number[]): Record<number, string> {
  const fields: Record<number, string> = {};
  let at = 0;
  const varint = (): number => {
    let n = 0;
    for (let shift = 1; ; shift *= 128) {
      const byte = b[at++]!;
      n += (byte & 0x7f) * shift;
      if (byte < 0x80) return n;
    }
  };
  while (at < b.length) {
    const field = varint() >> 3;
    const len = varint();
    if (!skip.includes(field)) fields[field] = b.toString('utf8', at, at + len);
    at += len;
  }
  return fields;
}

/** The node of simulated sidecar `index` (both protocols). */
export function simNode(index: number, namespace: string): { id: string; metadata: Record<string, unknown> } {
  const ip = `10.200.${(index >> 8) & 255}.${index & 255}`;
  return {
    id: `sidecar~${ip}~client-${index}.${namespace}~${namespace}.svc.cluster.local`,
    metadata: { NAMESPACE: namespace, NAME: `client-${index}`, LABELS: { app: `client-${index}` }, INTERCEPTION_MODE: 'REDIRECT' },
  };
}

const edsFrames = new WeakMap<string[], Buffer>();

/**
 * The EDS subscription (every cluster of the namespace: ~150 kB at 1 000 services), encoded once per
 * name list: the proxies are simulated on the control plane's machine, and re-encoding it per proxy
 * was ~0.6 s of the bench's own CPU at 2 000 proxies. The bytes are what each proxy would send.
 */
function edsSubscription(clusterNames: string[]): Buffer {
  let frame = edsFrames.get(clusterNames);
  if (frame === undefined) {
    frame = grpcFrame(deltaClientMethod.serialize({ type_url: TYPE_URLS.EDS, resource_names_subscribe: clusterNames }));
    edsFrames.set(clusterNames, frame);
  }
  return frame;
}

/**
 * One simulated delta sidecar: records when each route version arrived (VirtualHost responses with
 * VHDS: a one-service change re-sends only its virtual host, the shell stays) and the bytes received.
 */
export class DeltaSimProxy {
  readonly rds = new Map<string, number>();
  /** Response types to have seen before the initial config counts as received. */
  readonly types = VHDS ? 5 : 4;
  readonly eds = new Map<string, number>();
  readonly seen = new Set<string>();
  bytes = 0;
  private readonly stream: http2.ClientHttp2Stream;

  constructor(session: http2.ClientHttp2Session, readonly index: number, clusterNames: string[], readonly namespace = 'default') {
    const node = { ...simNode(index, namespace), client_features: VHDS ? [VHDS_CLIENT_FEATURE] : [] };
    const routeType = VHDS ? VHDS_TYPE_URL : TYPE_URLS.RDS;
    this.stream = grpcStream(session, deltaClientMethod.path);
    // Resources (2) and removals (6) are passed over unread: 1 system_version_info, 4 type_url, 5 nonce.
    const scanner = new GrpcFieldScanner([2, 6], (fields, bytes) => {
      const type = fields[4] ?? '';
      this.bytes += bytes;
      this.seen.add(type);
      if (type === routeType) this.rds.set(fields[1] ?? '', performance.now());
      if (type === TYPE_URLS.EDS) this.eds.set(fields[1] ?? '', performance.now());
      this.send({ type_url: type, response_nonce: fields[5] ?? '' });
    });
    this.stream.on('data', (chunk: Buffer) => scanner.push(chunk));
    this.send({ node, type_url: TYPE_URLS.CDS, resource_names_subscribe: ['*'] });
    this.send({ type_url: TYPE_URLS.LDS, resource_names_subscribe: ['*'] });
    this.sendFrame(edsSubscription(clusterNames));
    this.send({ type_url: TYPE_URLS.RDS, resource_names_subscribe: ['9080'] });
    // Envoy subscribes once the shell arrived; the server answers either way.
    if (VHDS) this.send({ type_url: VHDS_TYPE_URL, resource_names_subscribe: ['9080'] });
  }

  private send(req: DeltaDiscoveryRequest): void {
    this.sendFrame(grpcFrame(deltaClientMethod.serialize(req)));
  }

  private sendFrame(frame: Buffer): void {
    if (!this.stream.closed) this.stream.write(frame);
  }

  close(): void {
    this.stream.end();
  }
}

export const ENDPOINT_CHANGE = process.argv.includes('--endpoint-change');

/** Change `c` of `--endpoint-change`: workload svc-<k>-v1 moves to a new address (one cluster's endpoints change). */
export function endpointMove(c: number, services: number, namespaceOf: (i: number) => string): { namespace: string; url: string; workload: unknown } {
  const k = c % services;
  const namespace = namespaceOf(k);
  const name = `svc-${k}-v1`;
  const workload = {
    name, namespace, address: `10.250.${c & 255}.${(k & 127) + 1}`,
    labels: { app: `svc-${k}`, version: 'v1' }, serviceAccount: 'default', sidecar: true, ready: true,
  };
  return { namespace, url: `/api/v1/registry/workloads/${namespace}/${name}`, workload };
}
