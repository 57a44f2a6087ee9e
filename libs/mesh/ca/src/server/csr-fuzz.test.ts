/**
 * The CA's CreateCertificate endpoint fuzzed over real gRPC+TLS: CSRs mutated as PEM text, as DER
 * bytes and as requests (SANs of other identities, DNS/IP SANs, odd validity, impersonation
 * metadata), tokens mutated. Every call ends OK or with INVALID_ARGUMENT / PERMISSION_DENIED /
 * UNAUTHENTICATED whose details start with a CA_* code — never INTERNAL, never a hang — and every
 * certificate signed names exactly the caller's own identity, chains to the root, and is no CA.
 * Seeded: FUZZ_SEED replays, FUZZ_ITERATIONS runs longer.
 */
import { X509Certificate } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { fuzzSettings, mulberry32, pick, runFuzzCases, silentLogger, type Random } from '@trellis/shared';
import { issueLocalToken, localTokenAuthenticator } from '../auth/local-token';
import { CertificateAuthority } from '../ca/certificate-authority';
import { systemClock } from '../ca/clock';
import { loadKeyCertBundle } from '../ca/key-cert-bundle';
import { generateSelfSignedRoot } from '../ca/self-signed';
import { createCsr } from '../pki/csr';
import { pemBlocks, toPem } from '../pki/pem';
import { EC_P256, generateKeyPair, type KeyPair } from '../pki/signature';
import { testRoot } from '../testing/fixtures';
import { caServiceDefinition, type IstioCertificateRequest, type IstioCertificateResponse } from './ca-proto';
import { createCaServer, type CaServer } from './ca-server';

const { seed: SEED, iterations: ITERATIONS } = fuzzSettings(process.env, 150);
const PARALLEL = 12;
const TOKEN_KEY = Buffer.alloc(32, 7);
const CALLER = 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews';
const TOKEN = issueLocalToken(TOKEN_KEY, 'default', 'bookinfo-reviews');
const EXPECTED_CODES = new Set([grpc.status.INVALID_ARGUMENT, grpc.status.PERMISSION_DENIED, grpc.status.UNAUTHENTICATED]);

type Unary = (req: Partial<IstioCertificateRequest>, md: grpc.Metadata, opts: grpc.CallOptions, cb: grpc.requestCallback<IstioCertificateResponse>) => void;

let server: CaServer;
let client: grpc.Client;
let call: Unary;
let ca: CertificateAuthority;
let keys: KeyPair[];

interface Case {
  readonly id: number;
  readonly mutations: string[];
  readonly request: Partial<IstioCertificateRequest>;
  readonly token: string | undefined;
}

const flipByte = (b: Buffer, r: Random): Buffer => {
  const out = Buffer.from(b);
  const at = Math.floor(r() * out.length);
  out[at] = (out[at] as number) ^ (1 << Math.floor(r() * 8));
  return out;
};

/** Each mutation edits the CSR text, the request or the token. */
const MUTATIONS: Record<string, (c: { csr: string; request: Partial<IstioCertificateRequest>; token: string | undefined }, r: Random) => void> = {
  'foreign-uri': (c, r) => (c.csr = createCsr(pick(r, keys).privateKey, { uris: [pick(r, ['spiffe://cluster.local/ns/istio-system/sa/istiod', 'spiffe://evil.example/ns/default/sa/bookinfo-reviews', `${CALLER}/x`, 'spiffe://cluster.local/ns/default/sa/bookinfo-ratings'])] })),
  'caller-plus-foreign': (c, r) => (c.csr = createCsr(pick(r, keys).privateKey, { uris: [CALLER, 'spiffe://cluster.local/ns/kube-system/sa/default'] })),
  'dns-ip': (c, r) => (c.csr = createCsr(pick(r, keys).privateKey, pick(r, [{ dns: ['istiod.istio-system.svc'] }, { ips: ['10.0.0.1'] }, { uris: [CALLER], dns: ['reviews.default.svc'] }]))),
  'no-names': (c, r) => (c.csr = createCsr(pick(r, keys).privateKey, {})),
  'der-flip': (c, r) => {
    const block = pemBlocks(c.csr)[0];
    if (block !== undefined) c.csr = toPem('CERTIFICATE REQUEST', flipByte(block.der, r));
  },
  'der-truncate': (c, r) => {
    const block = pemBlocks(c.csr)[0];
    if (block !== undefined) c.csr = toPem('CERTIFICATE REQUEST', block.der.subarray(0, Math.floor(r() * block.der.length)));
  },
  'pem-edit': (c, r) => {
    const at = Math.floor(r() * c.csr.length);
    c.csr = c.csr.slice(0, at) + pick(r, ['', '-----END CERTIFICATE REQUEST-----\n', '\u0000', '%', '\n\n', 'A'.repeat(100)]) + c.csr.slice(at + 1);
  },
  'pem-label': (c, r) => (c.csr = c.csr.replace(/CERTIFICATE REQUEST/g, pick(r, ['CERTIFICATE', 'PRIVATE KEY', 'NEW CERTIFICATE REQUEST', '']))),
  'pem-garbage': (c, r) => (c.csr = pick(r, ['', 'not a csr', '{"csr":1}', '-----BEGIN CERTIFICATE REQUEST-----\n-----END CERTIFICATE REQUEST-----\n', `-----BEGIN CERTIFICATE REQUEST-----\n${'MIIB'.repeat(20_000)}\n-----END CERTIFICATE REQUEST-----\n`, testRoot().caCert])),
  'two-blocks': (c, r) => (c.csr = createCsr(pick(r, keys).privateKey, { uris: ['spiffe://cluster.local/ns/x/sa/y'] }) + c.csr),
  validity: (c, r) => (c.request.validity_duration = pick(r, [-1, 0, 1, 86_400, 90 * 86_400 + 1, 2 ** 40, Number.MAX_SAFE_INTEGER])),
  impersonate: (c, r) => (c.request.metadata = { fields: { [pick(r, ['ImpersonatedIdentity', 'CertSigner'])]: { stringValue: 'spiffe://cluster.local/ns/istio-system/sa/istiod' } } }),
  'token-flip': (c, r) => (c.token = c.token === undefined ? undefined : c.token.slice(0, -3) + pick(r, ['AAA', 'xyz', ''])),
  'token-forged': (c, r) => (c.token = pick(r, [undefined, '', 'tlw1.eyJucyI6Imlzd', `tlw1.${Buffer.from('{"ns":"istio-system","sa":"istiod"}').toString('base64url')}.${TOKEN.split('.')[2] ?? ''}`, 'Bearer', 'x'.repeat(5000)])),
};

function fuzzCase(id: number, r: Random): Case {
  const c = { csr: createCsr(pick(r, keys).privateKey, { uris: [CALLER] }), request: {} as Partial<IstioCertificateRequest>, token: TOKEN as string | undefined };
  const mutations: string[] = [];
  for (let n = Math.floor(r() * 3); n > 0; n--) {
    const name = pick(r, Object.keys(MUTATIONS));
    MUTATIONS[name]?.(c, r);
    mutations.push(name);
  }
  return { id, mutations, request: { ...c.request, csr: c.csr }, token: c.token };
}

function send(k: Case): Promise<{ err: grpc.ServiceError | null; chain: string[] }> {
  const md = new grpc.Metadata();
  if (k.token !== undefined) md.set('authorization', `Bearer ${k.token}`);
  return new Promise((resolve) => call(k.request, md, { deadline: Date.now() + 20_000 }, (err, res) => resolve({ err, chain: res?.cert_chain ?? [] })));
}

/** What is wrong with a signed chain ('' when nothing): exactly the caller's identity, from the root, no CA. */
function judgeChain(chain: readonly string[]): string {
  const leaf = new X509Certificate(chain[0] ?? '');
  const root = new X509Certificate(chain[chain.length - 1] ?? '');
  if (leaf.subjectAltName !== `URI:${CALLER}`) return `signed for ${leaf.subjectAltName ?? 'no SAN'}`;
  if (!leaf.checkIssued(root) || !leaf.verify(root.publicKey)) return 'leaf does not chain to the root';
  if (leaf.ca) return 'leaf is a CA';
  return '';
}

beforeAll(async () => {
  // A real clock: the TLS handshake checks the server certificate against the time of day.
  ca = new CertificateAuthority(loadKeyCertBundle(generateSelfSignedRoot({ trustDomain: 'cluster.local', now: Date.now() - 60_000 }), 'self-signed', Date.now()), systemClock);
  keys = Array.from({ length: 3 }, () => generateKeyPair(EC_P256));
  server = createCaServer({ ca, authenticators: [localTokenAuthenticator(TOKEN_KEY, 'cluster.local')], serverCertificate: ca.issueServerCertificate({ dns: ['istiod.istio-system.svc'], ips: [] }), logger: silentLogger() });
  const port = await server.bind('127.0.0.1:0');
  const Client = grpc.makeGenericClientConstructor(caServiceDefinition(), 'IstioCertificateService');
  client = new Client(`127.0.0.1:${port}`, grpc.credentials.createSsl(Buffer.from(ca.rootPem)), { 'grpc.ssl_target_name_override': 'istiod.istio-system.svc' });
  call = (client as unknown as { CreateCertificate: Unary }).CreateCertificate.bind(client);
}, 60_000);
afterAll(async () => {
  client.close();
  await server.close();
});

describe(`CA CreateCertificate fuzz (seed ${SEED}, ${ITERATIONS} requests)`, () => {
  it("answers every request OK or with a CA_* reason, and signs only the caller's own identity", async () => {
    const random = mulberry32(SEED);
    const cases = Array.from({ length: ITERATIONS }, (_, i) => fuzzCase(i, random));
    const { problems, outcomes } = await runFuzzCases(cases, PARALLEL, async (k) => {
      const { err, chain } = await send(k);
      const outcome = err === null ? 'OK' : grpc.status[err.code] ?? String(err.code);
      const problem = err === null ? judgeChain(chain) : EXPECTED_CODES.has(err.code) && /^CA_[A-Z_]+: \S/.test(err.details) ? '' : `${outcome}: ${err.details}`;
      return { outcome, problem };
    });
    expect({ seed: SEED, problems }).toEqual({ seed: SEED, problems: [] });
    if (ITERATIONS >= 100) expect(Object.keys(outcomes)).toEqual(expect.arrayContaining(['OK', 'INVALID_ARGUMENT', 'PERMISSION_DENIED', 'UNAUTHENTICATED']));
    // Still serving: an unmutated request is signed.
    const again = await send({ id: -1, mutations: [], request: { csr: createCsr(keys[0]!.privateKey, { uris: [CALLER] }) }, token: TOKEN });
    expect(again.err).toBeNull();
    expect(judgeChain(again.chain)).toBe('');
  }, 120_000);
});
