// Who lost a request: the Bookinfo sidecars' own record. Each sidecar counts the requests its app sent
// (istio_requests_total, reporter="source") by response code and Envoy response flag. A flag set with DC
// (downstream connection termination: the app gave up, productpage's 3 s timeout) is the app's timeout; any
// other non-200 with a flag (UF, UH, URX, NR, UC alone…) is a failure the mesh returned to the app — which
// productpage would then show as a degraded page or a 500, the same as its own timeout at the client.
import { kubectl } from './faults.mjs';

const SELECTOR = 'app in (productpage,reviews)';
const LINE = /^istio_requests_total\{([^}]*)\} (\d+(?:\.\d+)?)$/;
const label = (labels, name) => new RegExp(`(?:^|,)${name}="([^"]*)"`).exec(labels)?.[1] ?? '';

/**
 * `<pod>|<destination> <code> <flags>` → count, for every Bookinfo caller's sidecar now; `unread`: the pods
 * whose stats could not be read (then a failure cannot be attributed), `ms`: how long the reads took.
 */
export async function sidecarCounts(ns = 'default') {
  const started = Date.now();
  // Pods being deleted are left out: their proxy may have exited, and what it counted leaves with it.
  const listed = await kubectl('-n', ns, 'get', 'pods', '-l', SELECTOR, '--field-selector=status.phase=Running', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp}{"\\n"}{end}');
  const pods = listed.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length === 1 && f[0]).map((f) => f[0]);
  const counts = new Map();
  const unread = [];
  await Promise.all(pods.map(async (pod) => {
    const text = await kubectl('--request-timeout=5s', 'get', '--raw', `/api/v1/namespaces/${ns}/pods/${pod}:15090/proxy/stats/prometheus`).catch(() => undefined);
    if (text === undefined) return void unread.push(pod);
    for (const line of text.split('\n')) {
      const m = LINE.exec(line);
      if (!m || label(m[1], 'reporter') !== 'source') continue;
      const key = `${pod}|${label(m[1], 'destination_service_name')} ${label(m[1], 'response_code')} ${label(m[1], 'response_flags')}`;
      counts.set(key, (counts.get(key) ?? 0) + Number(m[2]));
    }
  }));
  return { counts, unread, ms: Date.now() - started };
}

/**
 * Non-2xx answers the sidecars recorded between two snapshots (a pod absent before counts from 0): the app gave
 * up (DC), the upstream app answered it (no flag), or the mesh did (any other flag).
 */
export function sidecarFailures(before, after) {
  const out = { appTimeouts: {}, appErrors: {}, mesh: {}, unread: [...new Set([...before.unread, ...after.unread])], ms: before.ms + after.ms };
  for (const [key, n] of after.counts) {
    const delta = n - (before.counts.get(key) ?? 0);
    const [, what] = key.split('|');
    const [, code, flags] = what.split(' ');
    if (delta <= 0 || /^2/.test(code)) continue;
    const into = flags.split(',').includes('DC') ? out.appTimeouts : flags === '-' ? out.appErrors : out.mesh;
    into[what] = (into[what] ?? 0) + delta;
  }
  return out;
}
