// A LoadBalancer controller for the single-node cluster, as cloud-provider-kind or MetalLB (layer 2) are on
// kind: not part of Trellis. It watches Services and gives each `type: LoadBalancer` one an address from a
// pool routed from the host to the node (tools/cluster/up.sh), written to `.status.loadBalancer.ingress[0].ip`
// the way a cloud's service controller does. The node owns the address (a /32 on its port-less bridge `lb0`, as a
// MetalLB speaker answers for it), and kube-proxy 1.20 programs the rest: in iptables mode it DNATs
// `<ip>:<port>` to the Service's endpoints once the status carries the IP (KUBE-FW-* chains), and because the
// address is local to the node, `<ip>:<nodePort>` reaches the Service too.
// A Service that stops being a LoadBalancer (or goes) has the status cleared and the address released.
//   LB_TOKEN=… node lb-controller.mjs --server https://172.31.255.2:6443 --ca ca.crt --pool 172.31.254.0/24 [--dev lb0]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    server: { type: 'string' },
    ca: { type: 'string' },
    pool: { type: 'string', default: '172.31.254.0/24' },
    dev: { type: 'string', default: 'lb0' },
  },
});
const token = process.env.LB_TOKEN ?? '';
if (!opt.server || !opt.ca || token === '') throw new Error('usage: LB_TOKEN=… lb-controller.mjs --server URL --ca FILE [--pool CIDR] [--dev lb0]');
const ca = readFileSync(opt.ca);
const log = (msg, fields) => process.stderr.write(JSON.stringify({ time: new Date().toISOString(), msg, ...fields }) + '\n');

// The pool's usable addresses (network and broadcast left out), in order.
function poolAddresses(cidr) {
  const [base, bits] = cidr.split('/');
  const start = base.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  const out = [];
  for (let i = 1; i < size - 1; i++) out.push([24, 16, 8, 0].map((s) => ((start + i) >>> s) & 255).join('.'));
  return out;
}
const POOL = poolAddresses(opt.pool);
const inPool = new Set(POOL);

function api(method, path, body, contentType = 'application/json') {
  return new Promise((resolve, reject) => {
    const url = new URL(path, opt.server);
    const req = request(url, { method, ca, headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body ? { 'content-type': contentType } : {}) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if ((res.statusCode ?? 0) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 300)}`));
        else resolve(text === '' ? {} : JSON.parse(text));
      });
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const key = (s) => `${s.metadata.namespace}/${s.metadata.name}`;
const ingressIp = (s) => s.status?.loadBalancer?.ingress?.[0]?.ip;
const setStatus = (s, ingress) =>
  api('PATCH', `/api/v1/namespaces/${s.metadata.namespace}/services/${s.metadata.name}/status`, { status: { loadBalancer: { ingress } } }, 'application/merge-patch+json');

/** The node's addresses on `lb0` follow the assignments exactly. */
function syncAddresses(wanted) {
  const shown = execFileSync('ip', ['-o', '-4', 'addr', 'show', 'dev', opt.dev]).toString();
  const present = new Set([...shown.matchAll(/inet (\d+\.\d+\.\d+\.\d+)\/32/g)].map((m) => m[1]));
  for (const ip of wanted) if (!present.has(ip)) execFileSync('ip', ['addr', 'add', `${ip}/32`, 'dev', opt.dev]);
  for (const ip of present) if (!wanted.has(ip)) execFileSync('ip', ['addr', 'del', `${ip}/32`, 'dev', opt.dev]);
}

/** One pass over all Services: keep valid assignments, assign the rest (spec.loadBalancerIP when free), clear the stale. */
async function reconcile(services) {
  const lbs = services.filter((s) => s.spec?.type === 'LoadBalancer').sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp) || key(a).localeCompare(key(b)));
  const used = new Map();
  for (const s of lbs) {
    const ip = ingressIp(s);
    if (ip !== undefined && inPool.has(ip) && !used.has(ip)) used.set(ip, key(s));
  }
  for (const s of lbs) {
    if (used.get(ingressIp(s)) === key(s)) continue;
    const asked = s.spec.loadBalancerIP;
    const ip = asked && inPool.has(asked) && !used.has(asked) ? asked : POOL.find((a) => !used.has(a));
    if (ip === undefined) {
      log('pool exhausted; Service stays pending', { service: key(s), pool: opt.pool });
      continue;
    }
    used.set(ip, key(s));
    syncAddresses(new Set(used.keys()));
    await setStatus(s, [{ ip }]);
    log('assigned', { service: key(s), ip });
  }
  for (const s of services.filter((x) => x.spec?.type !== 'LoadBalancer' && inPool.has(ingressIp(x)))) {
    await setStatus(s, null);
    log('released (no longer a LoadBalancer)', { service: key(s), ip: ingressIp(s) });
  }
  syncAddresses(new Set(used.keys()));
}

/** Resolves on the first watch event after `resourceVersion` (or after 30 s, or on a broken stream). */
function nextChange(resourceVersion) {
  return new Promise((resolve) => {
    const url = new URL(`/api/v1/services?watch=1&allowWatchBookmarks=false&timeoutSeconds=30&resourceVersion=${resourceVersion}`, opt.server);
    const req = request(url, { ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.once('data', () => {
        req.destroy();
        resolve();
      });
      res.once('end', resolve);
      res.once('error', resolve);
    });
    req.once('error', () => setTimeout(resolve, 1000));
    req.end();
  });
}

let stopping = false;
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => ((stopping = true), process.exit(0)));
log('started', { pool: opt.pool, dev: opt.dev });
while (!stopping) {
  try {
    const list = await api('GET', '/api/v1/services');
    await reconcile(list.items ?? []);
    await nextChange(list.metadata.resourceVersion);
  } catch (err) {
    log('reconcile failed; retrying', { error: String(err?.message ?? err) });
    await new Promise((r) => setTimeout(r, 1000));
  }
}
