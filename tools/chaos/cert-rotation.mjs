// Scenario 5 of #23, as two rows: `cert-rotation`, workload certificates rotating every few seconds
// under load; `ca-kill`, the CA (in the control plane process) SIGKILLed while they are that short.
// The stack runs with the mesh config's
// `defaultConfig.proxyMetadata.SECRET_TTL` (run.mjs writes <state>/mesh.yaml), so every proxy's agent
// asks the CA for certificates that short and renews them at Istio's grace point (half their life).
// Rotation is observed, not assumed: each sidecar's admin /certs is polled for the serial it serves.
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { startLoad, summarize } from './load.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `<ttl>` of Go's duration syntax in seconds (10s, 1m30s). */
export function goSeconds(text) {
  const parts = [...String(text).matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== String(text)) throw new Error(`CHAOS_CERT_TTL ${text}: not a duration like 10s`);
  return parts.reduce((n, [, v, u]) => n + Number(v) * { h: 3600, m: 60, s: 1 }[u], 0);
}

/**
 * The mesh.yaml that gives every proxy SECRET_TTL and ECC_SIGNATURE_ALGORITHM (as
 * meshConfig.defaultConfig.proxyMetadata does in Istio). `key` ECDSA (P-256) or RSA (2048, Istio's
 * default; on this shared 2-core box a 2048-bit key per proxy every few seconds starves the stack).
 */
export function meshYamlWithCertTtl(ttl, key = 'ECDSA') {
  if (key !== 'ECDSA' && key !== 'RSA') throw new Error(`CHAOS_CERT_KEY ${key}: ECDSA or RSA`);
  return `defaultConfig:\n  proxyMetadata:\n    SECRET_TTL: ${ttl}\n    ECC_SIGNATURE_ALGORITHM: ${key === 'ECDSA' ? 'ECDSA' : 'RSA'}\n`;
}

/** The serial number a proxy's admin /certs shows for its workload certificate ('' when none or unreachable). */
async function servedSerial(ip) {
  try {
    const res = await request(`http://${ip}:15000/certs`, { headersTimeout: 1000, bodyTimeout: 1000 });
    const body = await res.body.json();
    return body.certificates?.[0]?.cert_chain?.[0]?.serial_number ?? '';
  } catch {
    return '';
  }
}

/** Polls every sidecar's serial until `stop()`: per proxy the distinct serials seen and when each first showed. */
function watchSerials(stack) {
  const pods = stack.pods().filter((p) => p.sidecar);
  const seen = new Map(pods.map((p) => [p.name, new Map()]));
  let running = true;
  const loop = (async () => {
    while (running) {
      await Promise.all(pods.map(async (p) => {
        const serial = await servedSerial(p.ip);
        if (serial !== '' && !seen.get(p.name).has(serial)) seen.get(p.name).set(serial, performance.now());
      }));
      await sleep(250);
    }
  })();
  return { seen, stop: async () => ((running = false), await loop) };
}

const rotationsOf = (perProxy) => perProxy.reduce((n, serials) => n + Math.max(0, serials.size - 1), 0);

/** Rotation alone: certificates renewed every ~TTL/2 on every sidecar under load; 0 failures expected. */
export async function certRotation(stack, o) {
  const watch = watchSerials(stack);
  const records = await startLoad({ url: stack.gatewayUrl, rate: o.rate, durationMs: o.durationMs }).done;
  await watch.stop();
  const perProxy = [...watch.seen.values()];
  const rotations = rotationsOf(perProxy);
  const ttl = goSeconds(o.certTtl);
  return {
    scenario: `certificate rotation (SECRET_TTL ${o.certTtl}, ${o.certKey} keys)`,
    ...summarize(records),
    recoveryMs: NaN,
    configLost: false,
    rotations,
    sidecars: perProxy.length,
    note: `${rotations} rotations seen across ${perProxy.length} sidecars in ${o.durationMs / 1000}s (${(rotations / Math.max(1, perProxy.length)).toFixed(1)} each; a ${ttl}s certificate renews at ~${ttl / 2}s)`,
  };
}

/**
 * The CA (in the control plane process) SIGKILLed while certificates are that short: the agents keep
 * their certificate and retry with back-off; a certificate whose life runs out before the CA is back
 * fails mTLS handshakes, as Envoy's would. Recovery: kill → every sidecar serving a certificate the
 * restarted CA issued.
 */
export async function caKill(stack, o) {
  const watch = watchSerials(stack);
  const load = startLoad({ url: stack.gatewayUrl, rate: o.rate, durationMs: o.durationMs });
  await sleep(Math.min(3000, o.durationMs / 5));
  const faultAt = performance.now() - load.t0;
  const killedAt = performance.now();
  const killed = stack.kill('control-plane');
  while (!(await stack.ready()) && performance.now() - killedAt < 90_000) await sleep(100);
  const readyMs = performance.now() - killedAt;
  const records = await load.done;
  await watch.stop();
  const renewedAt = [...watch.seen.values()].map((serials) => Math.max(...serials.values()));
  const recoveryMs = renewedAt.every((t) => t > killedAt + readyMs) ? Math.max(...renewedAt) - killedAt : NaN;
  return {
    scenario: `CA (control plane) SIGKILL with SECRET_TTL ${o.certTtl}, ${o.certKey} keys`,
    ...summarize(records, faultAt, faultAt + (Number.isFinite(recoveryMs) ? recoveryMs : o.durationMs)),
    recoveryMs,
    configLost: false,
    note: `control plane restart ${killed.restarts + 1}, ready ${Math.round(readyMs)} ms after the kill (a certificate has ${goSeconds(o.certTtl) / 2}–${goSeconds(o.certTtl)}s left when it dies); recovery = kill → every sidecar serving a certificate the restarted CA issued`,
  };
}
