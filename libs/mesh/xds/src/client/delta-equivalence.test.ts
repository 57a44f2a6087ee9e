import { silentLogger } from '@trellis/shared';
import { packResource } from '../proto/codec';
import { TYPE_URLS, type XdsTypeShort } from '../proto/type-urls';
import { decodeAnyValue } from '../proto/wire-decode';
import { resourceName, resourcesOfType, type XdsResource, type XdsResources } from '../resources';
import { createAdsServer, type AdsServer } from '../server/ads-server';
import { assignment, edsCluster, rdsListener, routeConfig, SIDECAR_NODE } from '../testing/fixtures';
import { until } from '../testing/until';
import { createAdsClient, type AdsClient, type AdsProtocol } from './ads-client';

const TYPES: readonly XdsTypeShort[] = ['CDS', 'EDS', 'LDS', 'RDS'];
/** type → name → the resource as the proxy got it, encoded again (hex): equal bytes = equal config. */
type State = Record<string, Record<string, string>>;

/** A mesh drawn from a seeded generator: services (cluster + endpoints) and listeners routing to them. */
interface Mesh {
  services: Map<number, { port: number; hosts: number }>;
  listeners: Map<number, number>; // listener → service its route sends to
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function resourcesOf(mesh: Mesh): XdsResources {
  const ids = [...mesh.services.keys()];
  const listeners = [...mesh.listeners].filter(([, svc]) => mesh.services.has(svc));
  return {
    clusters: ids.map((i) => edsCluster(`c${i}`)),
    endpoints: ids.map((i) => {
      const s = mesh.services.get(i)!;
      return assignment(`c${i}`, ...Array.from({ length: s.hosts }, (_, h): [string, number] => [`10.0.${i}.${h + 1}`, s.port]));
    }),
    listeners: listeners.map(([l]) => rdsListener(`l${l}`, 9000 + l, `r${l}`)),
    routes: listeners.map(([l, svc]) => withServiceHosts(routeConfig(`r${l}`, `c${svc}`), ids)),
  };
}

/** Besides the listener's `*` host, one virtual host per service, newest first (not sorted by name: VHDS sorts). */
function withServiceHosts(rc: XdsResource, ids: readonly number[]): XdsResource {
  const hosts = [...ids].reverse().map((i) => ({ name: `s${i}`, domains: [`s${i}`, `s${i}:80`], routes: [{ match: { prefix: '/' }, route: { cluster: `c${i}` } }] }));
  return { ...rc, virtual_hosts: [...(rc['virtual_hosts'] as XdsResource[]), ...hosts] };
}

/** Route configurations as a VHDS client runs them: virtual hosts sorted by name (vhds/vhds.ts materialize). */
const sortedHosts = (all: XdsResources): XdsResources => ({
  ...all,
  routes: all.routes.map((rc) => ({ ...rc, virtual_hosts: [...(rc.virtual_hosts ?? [])].sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1)) })),
});

/** One random change: add/remove a service, move its endpoints, add/remove a listener, re-route one. */
function mutate(mesh: Mesh, next: () => number): void {
  const pick = (n: number): number => Math.floor(next() * n);
  const ids = [...mesh.services.keys()];
  const op = pick(6);
  if (op === 0 || ids.length < 2) mesh.services.set(pick(20), { port: 8000 + pick(10), hosts: 1 + pick(3) });
  else if (op === 1) mesh.services.delete(ids[pick(ids.length)]!);
  else if (op === 2) mesh.services.set(ids[pick(ids.length)]!, { port: 8000 + pick(10), hosts: 1 + pick(3) });
  else if (op === 3) mesh.listeners.set(pick(8), ids[pick(ids.length)]!);
  else if (op === 4) mesh.listeners.delete([...mesh.listeners.keys()][pick(mesh.listeners.size)] ?? -1);
  else mesh.listeners.set([...mesh.listeners.keys()][pick(mesh.listeners.size)] ?? 0, ids[pick(ids.length)]!);
}

const encode = (type: XdsTypeShort, resources: readonly XdsResource[]): Record<string, string> =>
  Object.fromEntries(resources.map((r) => [resourceName(type, r), packResource(TYPE_URLS[type], r).value.toString('hex')]));

/** What a fresh full push carries (every resource, all referenced here), as a proxy decodes it. */
const expected = (all: XdsResources): State =>
  Object.fromEntries(TYPES.map((t) => [t, encode(t, resourcesOfType(all, t).map((r) => decodeAnyValue(TYPE_URLS[t], packResource(TYPE_URLS[t], r).value)))]));

describe('delta and SotW give the proxy the same resources', () => {
  let server: AdsServer;
  let port: number;
  let current: XdsResources;
  const clients: AdsClient[] = [];

  const startServer = async (at = '127.0.0.1:0'): Promise<number> => {
    server = createAdsServer({ generate: () => current, logger: silentLogger(), debounce: { quietMs: 10, maxMs: 50 } });
    return server.bind(at);
  };

  /** A proxy: its state is what onResources last handed it, re-encoded. */
  const proxy = (protocol: AdsProtocol, vhds = false): { client: AdsClient; state: State; vhds: boolean } => {
    const state: State = { CDS: {}, EDS: {}, LDS: {}, RDS: {} };
    const client = createAdsClient({
      target: `127.0.0.1:${port}`,
      node: SIDECAR_NODE,
      protocol,
      vhds,
      logger: silentLogger(),
      backoff: { initialMs: 20, maxMs: 100 },
      onResources: (type, resources) => void (state[type] = encode(type, resources)),
    });
    clients.push(client);
    return { client, state, vhds };
  };

  const converged = async (proxies: readonly { state: State; vhds: boolean }[]): Promise<void> => {
    const states = proxies.map((p) => p.state);
    const wants = proxies.map((p) => expected(p.vhds ? sortedHosts(current) : current));
    // By name, not order: the proxy keeps resources by name (delta keeps first-arrival order, SotW the server's).
    const canonical = (s: State): string => JSON.stringify(TYPES.map((t) => Object.entries(s[t] ?? {}).sort(([a], [b]) => a.localeCompare(b))));
    const done = (): boolean =>
      states.every((s, i) => canonical(s) === canonical(wants[i]!)) && server.syncStatus().length === states.length && server.syncStatus().every((p) => TYPES.every((t) => p.types[t as 'CDS'].status === 'SYNCED'));
    await until(done, 5000).catch(() => {
      // The byte-level difference, as a readable failure.
      states.forEach((s, i) => expect(s).toEqual(wants[i]));
      throw new Error(`proxies did not all ACK: ${JSON.stringify(server.syncStatus().map((p) => [p.protocol, TYPES.map((t) => p.types[t as 'CDS'].status)]))}`);
    });
  };

  beforeEach(async () => {
    port = await startServer();
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await server.close();
  });

  it.each([1, 7, 42])('random change sequence (seed %i): SotW, delta and delta+VHDS proxies hold byte-identical resources (VHDS: virtual hosts sorted by name), equal to a fresh full push, across a control-plane restart', async (seed) => {
    const next = rng(seed);
    const mesh: Mesh = { services: new Map([[0, { port: 8000, hosts: 1 }], [1, { port: 8001, hosts: 2 }]]), listeners: new Map([[0, 0]]) };
    current = resourcesOf(mesh);
    const sotw = proxy('sotw');
    const delta = proxy('delta');
    const vhds = proxy('delta', true);
    await converged([sotw, delta, vhds]);
    for (let step = 0; step < 24; step++) {
      const changes = 1 + Math.floor(next() * 3);
      for (let c = 0; c < changes; c++) mutate(mesh, next);
      current = resourcesOf(mesh);
      if (step === 12) {
        // Restart: all reconnect; delta's first requests carry initial_resource_versions.
        await server.close();
        await startServer(`127.0.0.1:${port}`);
      } else server.pushNow(`step ${step}`);
      await converged([sotw, delta, vhds]);
      expect(delta.state).toEqual(sotw.state);
      expect(vhds.state).toEqual(expected(sortedHosts(current)));
    }
    const freshSotw = proxy('sotw');
    const freshDelta = proxy('delta');
    const freshVhds = proxy('delta', true);
    await converged([sotw, delta, vhds, freshSotw, freshDelta, freshVhds]);
    expect(delta.state).toEqual(freshDelta.state);
    expect(vhds.state).toEqual(freshVhds.state);
    expect(sotw.client.ackedVersions()).toEqual(delta.client.ackedVersions());
    // The VHDS client's RDS version is its shells' (virtual hosts have their own); every other type reads the same.
    expect({ ...vhds.client.ackedVersions(), RDS: undefined }).toEqual({ ...sotw.client.ackedVersions(), RDS: undefined });
  }, 60_000);
});
