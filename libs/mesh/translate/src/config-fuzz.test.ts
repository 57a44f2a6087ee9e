/**
 * Istio YAML fuzzing: Bookinfo's networking samples and one object of every other kind, mutated as
 * objects (fields removed or given odd values) and as text (bytes flipped), then parsed, validated
 * and — when accepted — translated for a sidecar and the ingress gateway, as the control plane would
 * before a push. Each step must answer (a clear error naming the object, or accepted), never throw.
 * Seeded: FUZZ_SEED, FUZZ_ITERATIONS (default 300).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { formatValidationError, parseYamlDocuments, validateConfig, type IstioConfig, type MeshSnapshot } from '@trellis/mesh-api';
import { translate } from './index';
import { bookinfoSnapshot, GATEWAY_PROXY, sidecarProxy } from './testing/bookinfo';

const SEED = Number(process.env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const ITERATIONS = Number(process.env['FUZZ_ITERATIONS'] ?? 300);
const SAMPLES = path.resolve(__dirname, '../../../../samples/bookinfo/networking');

type Random = () => number;
function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const meta = { name: 'fuzz', namespace: 'default' };
const sec = 'security.istio.io/v1beta1';
const OTHER_KINDS = [
  { apiVersion: sec, kind: 'AuthorizationPolicy', metadata: meta, spec: { selector: { matchLabels: { app: 'reviews' } }, action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/bookinfo-productpage'] } }], to: [{ operation: { methods: ['GET'], paths: ['/reviews/*'] } }], when: [{ key: 'request.headers[x-a]', values: ['b'] }] }] } },
  { apiVersion: sec, kind: 'PeerAuthentication', metadata: meta, spec: { selector: { matchLabels: { app: 'ratings' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '9080': { mode: 'PERMISSIVE' } } } },
  { apiVersion: sec, kind: 'RequestAuthentication', metadata: meta, spec: { selector: { matchLabels: { app: 'productpage' } }, jwtRules: [{ issuer: 'testing@secure.istio.io', jwksUri: 'http://jwks.example.com/jwks.json', forwardOriginalToken: true }] } },
  { apiVersion: 'networking.istio.io/v1beta1', kind: 'ServiceEntry', metadata: meta, spec: { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https', protocol: 'TLS' }], resolution: 'DNS', location: 'MESH_EXTERNAL' } },
  { apiVersion: 'networking.istio.io/v1beta1', kind: 'Sidecar', metadata: meta, spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } } },
  { apiVersion: 'telemetry.istio.io/v1alpha1', kind: 'Telemetry', metadata: meta, spec: { accessLogging: [{ providers: [{ name: 'envoy' }] }], tracing: [{ randomSamplingPercentage: 50 }] } },
];

const SNAPSHOT_FIELD: Record<string, keyof MeshSnapshot> = {
  Gateway: 'gateways', VirtualService: 'virtualServices', DestinationRule: 'destinationRules', ServiceEntry: 'serviceEntries', Sidecar: 'sidecars',
  PeerAuthentication: 'peerAuthentications', AuthorizationPolicy: 'authorizationPolicies', RequestAuthentication: 'requestAuthentications', Telemetry: 'telemetries',
};

const WEIRD: readonly unknown[] = ['', '*', '/', 'a.b.c', '0s', '-1s', '1x', 'v9', 'NOPE', -1, 0, 101, 2 ** 40, 0.5, true, null, [], {}, [null], { '': '' }, 'x'.repeat(300)];

function mutateObject(o: unknown, r: Random): unknown {
  const copy = JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, at: (string | number)[]): void => {
    if (v === null || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      const p = [...at, Array.isArray(v) ? Number(k) : k];
      paths.push(p);
      walk(x, p);
    }
  };
  walk(copy, []);
  for (let n = 1 + Math.floor(r() * 3); n > 0 && paths.length > 0; n--) {
    const p = pick(r, paths);
    const parent = p.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], copy) as Record<string | number, unknown> | undefined;
    if (parent === undefined || parent === null || typeof parent !== 'object') continue;
    const key = p[p.length - 1]!;
    if (r() < 0.3) delete parent[key];
    else parent[key] = structuredClone(pick(r, WEIRD)); // a copy: a later mutation must not write into WEIRD (that made cycles)
  }
  return copy;
}

function mutateText(text: string, r: Random): string {
  let t = text;
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const at = Math.floor(r() * t.length);
    t = t.slice(0, at) + pick(r, [':', ' ', '\n', '-', '{', '"', '*', '&a', '!!binary ', '']) + t.slice(at + 1);
  }
  return t;
}

describe(`Istio config fuzz (seed ${SEED}, ${ITERATIONS} inputs)`, () => {
  const texts = readdirSync(SAMPLES).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(path.join(SAMPLES, f), 'utf8'));
  const objects = [...texts.flatMap((t) => parseYamlDocuments(t, 'sample').objects), ...OTHER_KINDS];
  const proxies = [sidecarProxy('productpage-v1'), sidecarProxy('reviews-v2'), GATEWAY_PROXY];

  it('found by this fuzz: a Gateway without servers is rejected as Istio does; an alias without its anchor is a YAML error', () => {
    const gw = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'bookinfo-gateway' }, spec: { selector: { istio: 'ingressgateway' } } };
    expect(validateConfig([gw]).errors.map(formatValidationError)).toEqual(['Gateway default/bookinfo-gateway: spec.servers: gateway must have at least one server']);
    expect(parseYamlDocuments('kind: VirtualService\nspec: *missing\n', 'vs.yaml')).toEqual({ objects: [], errors: [{ source: 'vs.yaml', document: 0, message: expect.stringMatching(/Unresolved alias/) }] });
  });

  it('parses, validates and translates every mutation without a throw; errors name the object and field', () => {
    const r = mulberry32(SEED);
    const problems: string[] = [];
    const tally = { accepted: 0, rejected: 0, unparsable: 0 };
    for (let i = 0; i < ITERATIONS; i++) {
      const asText = r() < 0.3;
      let input: unknown[];
      const label = `#${i} ${asText ? 'text' : 'object'}`;
      try {
        if (asText) {
          const parsed = parseYamlDocuments(mutateText(pick(r, texts), r), 'fuzz.yaml');
          if (parsed.errors.some((e) => e.message === '')) problems.push(`${label}: a YAML error without a message`);
          if (parsed.objects.length === 0) tally.unparsable++;
          input = parsed.objects;
        } else input = [mutateObject(pick(r, objects), r)];
        const { valid, errors } = validateConfig(input, { namespace: 'default' });
        for (const e of errors) if (e.message === '' || !/: /.test(formatValidationError(e))) problems.push(`${label}: unclear error ${JSON.stringify(e)}`);
        if (errors.length > 0) tally.rejected++;
        if (valid.length === 0) continue;
        tally.accepted++;
        const snapshot: Record<string, unknown> = { ...bookinfoSnapshot() };
        for (const o of valid as IstioConfig[]) {
          const field = SNAPSHOT_FIELD[o.kind];
          if (field !== undefined) snapshot[field] = [...(snapshot[field] as unknown[]), o];
        }
        for (const p of proxies) translate(snapshot as unknown as MeshSnapshot, p);
      } catch (err) {
        problems.push(`${label}: threw ${(err as Error).stack?.split('\n').slice(0, 3).join(' ') ?? String(err)}; input ${JSON.stringify(input! ?? null).slice(0, 600)}`);
      }
    }
    expect({ seed: SEED, problems }).toEqual({ seed: SEED, problems: [] });
    expect(tally.accepted).toBeGreaterThan(0);
    expect(tally.rejected).toBeGreaterThan(0);
  });
});
