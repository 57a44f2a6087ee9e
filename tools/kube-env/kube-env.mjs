#!/usr/bin/env node
// A throw-away Kubernetes v1.20.2 control plane on loopback for integration tests (like controller-runtime's
// envtest): etcd + kube-apiserver (+ kube-controller-manager), built by ./build.sh from Debian's source package.
//
//   import { startKubeEnv } from './kube-env.mjs';
//   const env = await startKubeEnv({ dir, withControllerManager: true });
//   // env: { kubeconfigPath, server: 'https://127.0.0.1:<port>', token, caPem, caFile, dir, binDir, pids, stop() }
//   await env.stop();
//
// CLI: node tools/kube-env/kube-env.mjs up|down|status [--dir D] [--no-controller-manager]
//   up prints `export KUBECONFIG=<dir>/kubeconfig`; processes keep running until `down` (same --dir).
//
// Auth: a static admin token (group system:masters) via --token-auth-file; TLS from a fresh CA whose serving
// cert covers 127.0.0.1, localhost and kubernetes.default.svc(.cluster.local). Nothing listens off loopback.
import { execFileSync, spawn } from 'node:child_process';
import { generateKeyPair, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const KUBE_VERSION = 'v1.20.2';
const COMPONENTS = ['kube-controller-manager', 'kube-apiserver', 'etcd']; // stop order
export const DEFAULT_CONTROLLERS = [
  'serviceaccount', 'serviceaccount-token', 'namespace', 'garbagecollector',
  'replicaset', 'deployment', 'job', 'endpoint', 'endpointslice',
];
const SERVICE_CIDR = '10.96.0.0/16';

/** Directory holding the cached kube binaries (see build.sh); KUBE_ENV_BIN_DIR overrides. */
export function binDir() {
  if (process.env.KUBE_ENV_BIN_DIR) return process.env.KUBE_ENV_BIN_DIR;
  const cache = process.env.TRELLIS_CACHE || path.join(os.homedir(), '.cache/trellis');
  return path.join(cache, `kube-${KUBE_VERSION}`, 'bin');
}

/** Runs build.sh (returns in well under a second when cached; otherwise prints progress to stderr). */
export function ensureBinaries({ binaries, stdio = 'inherit' } = {}) {
  if (process.env.KUBE_ENV_BIN_DIR) return binDir();
  execFileSync('bash', [path.join(HERE, 'build.sh'), ...(binaries ?? [])], { stdio });
  return binDir();
}

function etcdBin() {
  if (process.env.KUBE_ENV_ETCD) return process.env.KUBE_ENV_ETCD;
  for (const d of (process.env.PATH || '').split(':').concat(['/usr/bin', '/usr/local/bin'])) {
    const p = path.join(d || '.', 'etcd');
    if (fs.existsSync(p)) return p;
  }
  throw new Error('[kube-env] etcd not found (run tools/kube-env/install-deps.sh: Debian package etcd-server)');
}

// ---------------------------------------------------------------- PKI
async function makePki(pkiDir) {
  const forge = require('node-forge');
  // native keygen (much faster than forge's), the three keys in parallel on libuv's thread pool
  const [caKp, srvKp, saKp] = await Promise.all([0, 1, 2].map(() => promisify(generateKeyPair)('rsa', { modulusLength: 2048 })));
  const serial = () => '01' + randomBytes(15).toString('hex');
  const validity = (cert, days) => {
    cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
    cert.validity.notAfter = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
  };
  const toForge = (kp) => ({
    priv: forge.pki.privateKeyFromPem(kp.privateKey.export({ type: 'pkcs1', format: 'pem' })),
    pub: forge.pki.publicKeyFromPem(kp.publicKey.export({ type: 'spki', format: 'pem' })),
  });

  const ca = toForge(caKp);
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.pub;
  caCert.serialNumber = serial();
  validity(caCert, 3650);
  const caSubject = [{ name: 'commonName', value: 'trellis-kube-env-ca' }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.priv, forge.md.sha256.create());

  const srv = toForge(srvKp);
  const srvCert = forge.pki.createCertificate();
  srvCert.publicKey = srv.pub;
  srvCert.serialNumber = serial();
  validity(srvCert, 3650);
  srvCert.setSubject([{ name: 'commonName', value: 'kube-apiserver' }]);
  srvCert.setIssuer(caSubject);
  srvCert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '10.96.0.1' },
        ...['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']
          .map((value) => ({ type: 2, value })),
      ],
    },
  ]);
  srvCert.sign(ca.priv, forge.md.sha256.create());

  fs.mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  const files = {
    caFile: path.join(pkiDir, 'ca.crt'),
    caKey: path.join(pkiDir, 'ca.key'),
    servingCert: path.join(pkiDir, 'apiserver.crt'),
    servingKey: path.join(pkiDir, 'apiserver.key'),
    saKey: path.join(pkiDir, 'sa.key'),
    saPub: path.join(pkiDir, 'sa.pub'),
  };
  const caPem = forge.pki.certificateToPem(caCert);
  fs.writeFileSync(files.caFile, caPem);
  fs.writeFileSync(files.caKey, caKp.privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  fs.writeFileSync(files.servingCert, forge.pki.certificateToPem(srvCert));
  fs.writeFileSync(files.servingKey, srvKp.privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  fs.writeFileSync(files.saKey, saKp.privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  fs.writeFileSync(files.saPub, saKp.publicKey.export({ type: 'spki', format: 'pem' }));
  return { ...files, caPem };
}

function kubeconfigYaml({ server, caPem, token }) {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: kube-env',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${Buffer.from(caPem).toString('base64')}`,
    'users:',
    '- name: admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: kube-env',
    '  context: {cluster: kube-env, user: admin, namespace: default}',
    'current-context: kube-env',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- helpers
async function freePorts(n) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = net.createServer();
      await new Promise((res, rej) => s.once('error', rej).listen(0, '127.0.0.1', res));
      servers.push(s);
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One HTTPS request to the apiserver with the admin token; resolves { status, body } (body parsed if JSON). */
export function kubeRequest(env, method, urlPath, body, { headers = {}, timeoutMs = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(urlPath, env.server);
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = https.request(
      u,
      {
        method,
        ca: env.caPem,
        agent: false,
        timeout: timeoutMs,
        headers: {
          Authorization: `Bearer ${env.token}`,
          Accept: 'application/json',
          ...(data !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try { parsed = JSON.parse(text); } catch { /* not JSON */ }
          resolve({ status: res.statusCode, body: parsed });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${urlPath}`)));
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

function httpGetStatus(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 1000, agent: false }, (res) => { res.resume(); resolve(res.statusCode); });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

function isAlive(pid) {
  try { process.kill(pid, 0); } catch (e) { return e.code === 'EPERM'; }
  try { return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; } // zombie = dead
}

/** True if pid is alive and its command line mentions dir (guards against a reused PID). */
function ownsPid(pid, dir) {
  if (!isAlive(pid)) return false;
  try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir); } catch { return true; }
}

function tail(file, n = 15) {
  try { return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).join('\n'); } catch { return ''; }
}

function readPids(dir) {
  const pids = {};
  for (const name of COMPONENTS.concat(['watchdog'])) {
    try { pids[name] = Number(fs.readFileSync(path.join(dir, `${name}.pid`), 'utf8').trim()); } catch { /* none */ }
  }
  return pids;
}

/**
 * Stop the env in dir: SIGTERM the controller-manager and apiserver, then etcd; SIGKILL whatever is still alive
 * after graceMs (the apiserver waits for open watch connections, so a client that leaves one open would otherwise
 * hold it for its full timeout; the state is thrown away anyway). Then remove dir.
 */
export async function stopDir(dir, { graceMs = 2500, keepDir = false } = {}) {
  const pids = readPids(dir);
  if (pids.watchdog && isAlive(pids.watchdog)) { try { process.kill(pids.watchdog, 'SIGKILL'); } catch { /* gone */ } }
  const term = async (names) => {
    const targets = names.map((n) => pids[n]).filter((pid) => pid && ownsPid(pid, dir));
    for (const pid of targets) { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } }
    const deadline = Date.now() + graceMs;
    while (targets.some(isAlive) && Date.now() < deadline) await sleep(25);
    for (const pid of targets.filter(isAlive)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    for (let i = 0; i < 100 && targets.some(isAlive); i++) await sleep(20); // until reaped (by our child handler or init)
  };
  await term(['kube-controller-manager', 'kube-apiserver']);
  await term(['etcd']);
  if (!keepDir) fs.rmSync(dir, { recursive: true, force: true });
}

// Synchronous last resort for process exit: SIGKILL everything, remove the dir.
function killDirSync(dir) {
  const pids = readPids(dir);
  for (const name of ['watchdog', ...COMPONENTS]) {
    const pid = pids[name];
    if (pid && (name === 'watchdog' || ownsPid(pid, dir))) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  }
  try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
}

const live = new Set(); // dirs started by this process (library mode)
let hooksInstalled = false;
function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', () => { for (const dir of live) killDirSync(dir); });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      for (const dir of live) killDirSync(dir);
      live.clear();
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig); // keep the default behaviour
    });
  }
}

// ---------------------------------------------------------------- start
/**
 * Start etcd + kube-apiserver (+ kube-controller-manager) on free loopback ports.
 * @param {object} [opts]
 * @param {string} [opts.dir] working dir (PKI, etcd data, logs, pid files, kubeconfig); default a fresh temp dir.
 *   Removed by stop(). An existing dir with live processes is refused.
 * @param {boolean} [opts.withControllerManager=true] also run kube-controller-manager (default ServiceAccounts,
 *   namespace deletion, GC, Deployment → ReplicaSet → Pod; pods stay Pending: no scheduler/kubelet).
 * @param {string[]} [opts.controllers] controller-manager controllers (default DEFAULT_CONTROLLERS).
 * @param {string[]} [opts.apiserverArgs] extra kube-apiserver flags (e.g. '--feature-gates=...').
 * @param {boolean} [opts.detached=false] processes outlive this node process (CLI `up`): no exit hooks, no watchdog.
 * @param {boolean} [opts.build=true] run build.sh first (instant when cached).
 * @param {number} [opts.timeoutMs=60000]
 */
export async function startKubeEnv(opts = {}) {
  // Free ports are probed then released, so another process may grab one first: retry with new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (e) {
      if (attempt >= 3 || !/address already in use/.test(e.message)) throw e;
    }
  }
}

async function startOnce(opts) {
  const {
    withControllerManager = true,
    controllers = DEFAULT_CONTROLLERS,
    apiserverArgs = [],
    detached = false,
    build = true,
    timeoutMs = 60000,
  } = opts;
  const t0 = Date.now();
  const bin = build ? ensureBinaries() : binDir();
  for (const b of ['kube-apiserver', ...(withControllerManager ? ['kube-controller-manager'] : [])]) {
    if (!fs.existsSync(path.join(bin, b))) throw new Error(`[kube-env] ${path.join(bin, b)} missing (run tools/kube-env/build.sh)`);
  }
  const etcd = etcdBin();

  let dir;
  if (opts.dir) {
    dir = path.resolve(opts.dir);
    if (fs.existsSync(dir)) {
      const running = Object.entries(readPids(dir)).filter(([n, p]) => n !== 'watchdog' && ownsPid(p, dir));
      if (running.length) throw new Error(`[kube-env] an env is already running in ${dir} (${running.map(([n, p]) => `${n}=${p}`).join(', ')})`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } else {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trellis-kube-env-'));
  }

  let watchdog;
  if (!detached) {
    live.add(dir);
    installExitHooks();
  }
  const logDir = path.join(dir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const pids = {};
  const exited = {};
  const phases = {};

  const launch = (name, cmd, args) => {
    const log = fs.openSync(path.join(logDir, `${name}.log`), 'a');
    const child = spawn(cmd, args, { stdio: ['ignore', log, log], detached: true, cwd: dir });
    fs.closeSync(log);
    child.on('exit', (code, signal) => { exited[name] = signal || code; });
    child.on('error', (e) => { exited[name] = e.message; });
    if (detached) child.unref();
    pids[name] = child.pid;
    fs.writeFileSync(path.join(dir, `${name}.pid`), `${child.pid}\n`);
    return child;
  };
  const fail = async (msg, name) => {
    const details = name ? `\n--- ${name}.log (last lines) ---\n${tail(path.join(logDir, `${name}.log`))}` : '';
    await stopDir(dir).catch(() => {});
    live.delete(dir);
    throw new Error(`[kube-env] ${msg}${details}`);
  };
  const waitFor = async (what, name, check) => {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 50; ; delay = Math.min(delay * 1.5, 250)) {
      if (await check().catch(() => false)) return;
      if (name && name in exited) await fail(`${name} exited (${exited[name]}) while waiting for ${what}`, name);
      if (Date.now() > deadline) await fail(`timed out after ${timeoutMs} ms waiting for ${what}`, name);
      await sleep(delay);
    }
  };

  try {
    const [etcdPort, peerPort, apiPort] = await freePorts(3);
    const server = `https://127.0.0.1:${apiPort}`;

    // Safety net against SIGKILL of this process: a tiny shell that kills the env once we are gone.
    if (!detached) {
      watchdog = spawn('sh', ['-c',
        'while kill -0 "$1" 2>/dev/null; do sleep 1; done; ' +
        'for f in "$2"/*.pid; do case "$f" in *watchdog.pid) ;; *) kill -9 "$(cat "$f")" 2>/dev/null;; esac; done; rm -rf "$2"',
        'kube-env-watchdog', String(process.pid), dir], { stdio: 'ignore', detached: true });
      watchdog.unref();
      fs.writeFileSync(path.join(dir, 'watchdog.pid'), `${watchdog.pid}\n`);
    }

    // etcd starts while the PKI is generated
    launch('etcd', etcd, [
      '--name=kube-env', `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdPort}`, `--advertise-client-urls=http://127.0.0.1:${etcdPort}`,
      `--listen-peer-urls=http://127.0.0.1:${peerPort}`, `--initial-advertise-peer-urls=http://127.0.0.1:${peerPort}`,
      `--initial-cluster=kube-env=http://127.0.0.1:${peerPort}`, '--initial-cluster-state=new',
      '--logger=zap', '--log-level=warn', '--snapshot-count=100000',
    ]);
    const pki = await makePki(path.join(dir, 'pki'));
    phases.pki = Date.now() - t0;
    const token = randomBytes(24).toString('hex');
    fs.writeFileSync(path.join(dir, 'pki/tokens.csv'), `${token},admin,kube-env-admin,"system:masters"\n`, { mode: 0o600 });
    const env = { server, token, caPem: pki.caPem, caFile: pki.caFile, dir, binDir: bin, pids };
    await waitFor('etcd /health', 'etcd', async () => (await httpGetStatus(`http://127.0.0.1:${etcdPort}/health`)) === 200);
    phases.etcd = Date.now() - t0;

    launch('kube-apiserver', path.join(bin, 'kube-apiserver'), [
      `--etcd-servers=http://127.0.0.1:${etcdPort}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--cert-dir=${path.join(dir, 'pki')}`,
      `--tls-cert-file=${pki.servingCert}`, `--tls-private-key-file=${pki.servingKey}`,
      `--client-ca-file=${pki.caFile}`,
      `--token-auth-file=${path.join(dir, 'pki/tokens.csv')}`,
      '--authorization-mode=Node,RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.saPub}`, `--service-account-signing-key-file=${pki.saKey}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--endpoint-reconciler-type=none',
      '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultTolerationSeconds,' +
        'MutatingAdmissionWebhook,ValidatingAdmissionWebhook,ResourceQuota',
      '--allow-privileged=true',
      '--profiling=false',
      '--v=0',
      ...apiserverArgs,
    ]);
    await waitFor('kube-apiserver /readyz', 'kube-apiserver', async () => (await kubeRequest(env, 'GET', '/readyz', undefined, { timeoutMs: 2000 })).status === 200);

    phases.apiserver = Date.now() - t0;
    const kubeconfigPath = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfigPath, kubeconfigYaml(env), { mode: 0o600 });

    if (withControllerManager) {
      launch('kube-controller-manager', path.join(bin, 'kube-controller-manager'), [
        `--kubeconfig=${kubeconfigPath}`,
        '--leader-elect=false',
        `--controllers=${controllers.join(',')}`,
        `--service-account-private-key-file=${pki.saKey}`,
        `--root-ca-file=${pki.caFile}`,
        `--cluster-signing-cert-file=${pki.caFile}`, `--cluster-signing-key-file=${pki.caKey}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        '--use-service-account-credentials=false',
        '--bind-address=127.0.0.1', '--secure-port=0', '--port=0',
        '--profiling=false',
        '--v=0',
      ]);
      // Pods are rejected until their ServiceAccount has a token Secret: wait for default/default and its token.
      await waitFor('ServiceAccount default/default with its token', 'kube-controller-manager', async () => {
        const r = await kubeRequest(env, 'GET', '/api/v1/namespaces/default/serviceaccounts/default', undefined, { timeoutMs: 2000 });
        return r.status === 200 && (r.body.secrets ?? []).length > 0;
      });
      phases.controllerManager = Date.now() - t0;
    }

    let stopped;
    const result = {
      ...env,
      kubeconfigPath,
      kubectl: fs.existsSync(path.join(bin, 'kubectl')) ? path.join(bin, 'kubectl') : undefined,
      ports: { etcd: etcdPort, etcdPeer: peerPort, apiserver: apiPort },
      startupMs: Date.now() - t0,
      phases, // ms since start at which each step was done
      stop: (stopOpts) => (stopped ??= stopDir(dir, stopOpts).finally(() => live.delete(dir))),
    };
    fs.writeFileSync(path.join(dir, 'env.json'), JSON.stringify({ ...result, stop: undefined, caPem: undefined }, null, 2) + '\n');
    return result;
  } catch (e) {
    if (live.has(dir) || detached) { await stopDir(dir).catch(() => {}); live.delete(dir); }
    throw e;
  }
}

// ---------------------------------------------------------------- CLI
function defaultCliDir() {
  return path.join(os.tmpdir(), 'trellis-kube-env');
}

async function cli(argv) {
  const cmd = argv[0];
  const di = argv.indexOf('--dir');
  const dir = path.resolve(di >= 0 ? argv[di + 1] : defaultCliDir());
  if (cmd === 'up') {
    const env = await startKubeEnv({ dir, detached: true, withControllerManager: !argv.includes('--no-controller-manager') });
    process.stderr.write(`[kube-env] Kubernetes ${KUBE_VERSION} at ${env.server} ready in ${(env.startupMs / 1000).toFixed(1)} s (dir ${dir})\n`);
    process.stdout.write(`export KUBECONFIG=${env.kubeconfigPath}\n`);
    if (env.kubectl) process.stdout.write(`export PATH=${env.binDir}:$PATH   # kubectl ${KUBE_VERSION}\n`);
  } else if (cmd === 'down') {
    const running = Object.values(readPids(dir)).length > 0;
    await stopDir(dir);
    process.stderr.write(running ? `[kube-env] stopped, removed ${dir}\n` : `[kube-env] nothing running in ${dir}\n`);
  } else if (cmd === 'status') {
    const pids = readPids(dir);
    let info = {};
    try { info = JSON.parse(fs.readFileSync(path.join(dir, 'env.json'), 'utf8')); } catch { /* not up */ }
    const procs = Object.fromEntries(COMPONENTS.filter((n) => pids[n]).map((n) => [n, { pid: pids[n], alive: ownsPid(pids[n], dir) }]));
    let readyz = 'n/a';
    if (info.server) {
      try {
        readyz = (await kubeRequest({ ...info, caPem: fs.readFileSync(info.caFile) }, 'GET', '/readyz', undefined, { timeoutMs: 2000 })).status;
      } catch (e) { readyz = e.message; }
    }
    process.stdout.write(JSON.stringify({ dir, server: info.server, kubeconfig: info.kubeconfigPath, readyz, processes: procs }, null, 2) + '\n');
    process.exitCode = info.server && readyz === 200 ? 0 : 1;
  } else {
    process.stderr.write('usage: node tools/kube-env/kube-env.mjs up|down|status [--dir D] [--no-controller-manager]\n');
    process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).catch((e) => { process.stderr.write(`${e.message}\n`); process.exitCode = 1; });
}
