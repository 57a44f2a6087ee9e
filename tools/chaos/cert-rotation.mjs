// Scenario 5 of #23: workload certificates rotating every few seconds under load, and the CA (in the
// control plane process) SIGKILLed in the middle. The stack runs with the mesh config's
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

/** The mesh.yaml that gives every proxy SECRET_TTL (as meshConfig.defaultConfig.proxyMetadata does in Istio). */
export const meshYamlWithCertTtl = (ttl) => `defaultConfig:\n  proxyMetadata:\n    SECRET_TTL: ${ttl}\n`;

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

export async function certRotation(stack, o) {
  const watch = watchSerials(stack);
  const load = startLoad({ url: stack.gatewayUrl, rate: o.rate, durationMs: o.durationMs });
  await sleep(Math.min(5000, o.durationMs / 3));
  const faultAt = performance.now() - load.t0;
  const killedAt = performance.now();
  const killed = stack.kill('control-plane');
  while (!(await stack.ready()) && performance.now() - killedAt < 90_000) await sleep(100);
  const readyMs = performance.now() - killedAt;
  const records = await load.done;
  await watch.stop();
  const perProxy = [...watch.seen.values()];
  const rotations = perProxy.reduce((n, serials) => n + Math.max(0, serials.size - 1), 0);
  // Recovery: kill → every sidecar serving a certificate issued after the CA came back.
  const renewedAt = perProxy.map((serials) => Math.max(...serials.values()));
  const allRenewed = renewedAt.every((t) => t > killedAt + readyMs);
  const recoveryMs = allRenewed ? Math.max(...renewedAt) - killedAt : NaN;
  const ttl = goSeconds(o.certTtl);
  return {
    scenario: `certificate rotation (SECRET_TTL ${o.certTtl}) + CA (control plane) SIGKILL`,
    ...summarize(records, faultAt, faultAt + (Number.isFinite(recoveryMs) ? recoveryMs : o.durationMs)),
    recoveryMs,
    configLost: false,
    note: `${rotations} rotations seen across ${perProxy.length} sidecars (${(rotations / Math.max(1, perProxy.length)).toFixed(1)} each; a ${ttl}s certificate renews at ~${ttl / 2}s); control plane ${killed.restarts + 1}. start, ready ${Math.round(readyMs)} ms after the kill; recovery = kill → every sidecar serving a certificate the restarted CA issued`,
  };
}
