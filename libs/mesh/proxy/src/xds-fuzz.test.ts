/**
 * xDS fuzzing as the proxy's ADS client meets a DiscoveryResponse: resources mutated (fields removed,
 * retyped, out of range, names duplicated), encoded, sometimes bit-flipped on the wire, decoded by the
 * lean decoder and applied. Each one must be accepted or rejected with a typed reason (the NACK's
 * error_detail) — and after a rejection the last good config still serves. Seeded: FUZZ_SEED,
 * FUZZ_ITERATIONS (default 150).
 */
import { isTrellisError, errorMessage } from '@trellis/shared';
import { TYPE_URLS, type XdsType } from '@trellis/mesh-envoy';
import { decodeAnyValue, packResource } from '@trellis/mesh-xds';
import { mulberry32, type Random } from './testing/h1-fuzz-cases';
import { assignment, edsCluster, httpListener, route, routeConfig, svc, vhost } from './testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, startProxy, startUpstream } from './testing/harness';

const SEED = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const ITERATIONS = Number(process.env['FUZZ_ITERATIONS'] ?? 150);
type Json = Record<string, unknown>;
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function goodConfig(port: number): Record<Exclude<XdsType, 'SDS'>, Json[]> {
  const c = svc('fuzz');
  return {
    CDS: [edsCluster(c, { circuit_breakers: { thresholds: [{ max_connections: { value: 100 } }] }, outlier_detection: { consecutive_5xx: { value: 5 } } }) as unknown as Json],
    EDS: [assignment(c, [{ port }]) as unknown as Json],
    LDS: [httpListener('0.0.0.0_9080', 9080, '9080') as unknown as Json],
    RDS: [routeConfig('9080', [vhost('fuzz', ['*'], [route({ prefix: '/' }, { cluster: c, timeout: { seconds: 5, nanos: 0 }, retry_policy: { retry_on: '5xx', num_retries: { value: 1 } } })])]) as unknown as Json],
  };
}

const WEIRD: readonly unknown[] = ['', 'x', '::', -1, 0, 2 ** 31, 1e300, Number.MAX_SAFE_INTEGER, true, null, [], {}, [{}], { value: -5 }, { seconds: -1, nanos: 2e9 }, 'type.googleapis.com/nope.Unknown'];

/** Every path to a value inside `o` (objects and arrays). */
function paths(o: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (o !== null && typeof o === 'object') {
    for (const [k, v] of Object.entries(o)) {
      const p = [...at, Array.isArray(o) ? Number(k) : k];
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

function mutate(resources: Json[], r: Random): { resources: Json[]; how: string } {
  const copy = JSON.parse(JSON.stringify(resources)) as Json[];
  if (r() < 0.1) return { resources: [...copy, ...copy], how: 'duplicate names' };
  const all = paths(copy);
  const p = pick(r, all);
  const parent = p.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], copy) as Record<string | number, unknown>;
  const key = p[p.length - 1]!;
  if (r() < 0.35) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
    return { resources: copy, how: `delete ${p.join('.')}` };
  }
  const value = pick(r, WEIRD);
  parent[key] = value;
  return { resources: copy, how: `${p.join('.')} = ${JSON.stringify(value)}` };
}

/** The ADS client's path: encode (what a control plane could send), maybe corrupt, decode, apply. */
async function deliver(p: TestProxy, type: XdsType, resources: Json[], r: Random): Promise<'accepted' | 'unencodable' | { nack: string; code: string }> {
  let wire: Buffer[];
  try {
    wire = resources.map((o) => Buffer.from(packResource(TYPE_URLS[type], o).value));
  } catch {
    return 'unencodable';
  }
  if (r() < 0.2 && wire.length > 0) {
    const b = Buffer.from(wire[0]!);
    if (b.length > 0) b[Math.floor(r() * b.length)] ^= 1 << Math.floor(r() * 8);
    wire[0] = b;
  }
  try {
    const decoded = wire.map((v) => decodeAnyValue(TYPE_URLS[type], v));
    await p.proxy.apply(type, decoded, 'fuzz');
    return 'accepted';
  } catch (err) {
    return { nack: errorMessage(err), code: isTrellisError(err) ? err.code : `untyped ${(err as Error).name}` };
  }
}

describe(`xDS fuzz (seed ${SEED}, ${ITERATIONS} responses)`, () => {
  let up: Upstream;
  let p: TestProxy;
  let good: ReturnType<typeof goodConfig>;
  beforeAll(async () => {
    up = await startUpstream('fuzz');
    good = goodConfig(up.port);
    p = await startProxy({ clusters: good.CDS as never, endpoints: good.EDS as never, listeners: good.LDS as never, routes: good.RDS as never });
  });
  afterAll(async () => {
    await p.proxy.close();
    await up.close();
  });

  const restore = async (): Promise<void> => {
    for (const t of ['CDS', 'EDS', 'LDS', 'RDS'] as const) await p.proxy.apply(t, good[t], 'good');
  };

  it('accepts or NACKs with a typed reason; after a NACK the last good config serves', async () => {
    const r = mulberry32(SEED);
    const problems: string[] = [];
    const tally: Record<string, number> = {};
    for (let i = 0; i < ITERATIONS; i++) {
      const type = pick(r, ['CDS', 'EDS', 'LDS', 'RDS'] as const);
      const { resources, how } = mutate(good[type], r);
      const outcome = await deliver(p, type, resources, r);
      const key = typeof outcome === 'string' ? outcome : outcome.code;
      tally[key] = (tally[key] ?? 0) + 1;
      if (typeof outcome !== 'string') {
        if (!outcome.code.startsWith('XDS_') || outcome.nack === '') problems.push(`#${i} ${type} ${how}: NACK without a typed reason: ${outcome.code} ${outcome.nack}`);
        const res = await send(p.port('0.0.0.0_9080'), { path: `/after-nack-${i}` }).catch((e: unknown) => ({ status: 0, body: errorMessage(e) }));
        if (res.status !== 200) problems.push(`#${i} ${type} ${how}: last good config lost (${res.status} ${res.body.slice(0, 80)})`);
      } else if (outcome === 'accepted') await restore();
    }
    expect({ seed: SEED, problems, tally }).toEqual({ seed: SEED, problems: [], tally });
    // The fuzz reached both sides: some responses applied, some NACKed by the compiler, some by the decoder.
    expect(Object.keys(tally)).toEqual(expect.arrayContaining(['accepted', 'XDS_INVALID']));
  }, 60_000);
});
