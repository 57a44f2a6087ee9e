// Who lost a request: the Bookinfo sidecars' own record. Each sidecar counts the requests its app sent
// (istio_requests_total, reporter="source") by response code and Envoy response flag. A flag set with DC
// (downstream connection termination: the app gave up, productpage's 3 s timeout) is the app's timeout; any
// other non-200 with a flag (UF, UH, URX, NR, UC alone…) is a failure the mesh returned to the app — which
// productpage would then show as a degraded page or a 500, the same as its own timeout at the client.
import { kubectl } from './faults.mjs';

const SELECTOR = 'app in (productpage,reviews)';
const LINE = /^istio_requests_total\{([^}]*)\} (\d+(?:\.\d+)?)$/;
const label = (labels, name) => new RegExp(`(?:^|,)${name}="([^"]*)"`).exec(labels)?.[1] ?? '';

/** `<pod>|<destination> <code> <flags>` → count, for every Bookinfo caller's sidecar now. */
export async function sidecarCounts(ns = 'default') {
  const pods = (await kubectl('-n', ns, 'get', 'pods', '-l', SELECTOR, '--field-selector=status.phase=Running', '-o', 'jsonpath={.items[*].metadata.name}')).split(/\s+/).filter(Boolean);
  const counts = new Map();
  await Promise.all(pods.map(async (pod) => {
    const text = await kubectl('get', '--raw', `/api/v1/namespaces/${ns}/pods/${pod}:15090/proxy/stats/prometheus`).catch(() => '');
    for (const line of text.split('\n')) {
      const m = LINE.exec(line);
      if (!m || label(m[1], 'reporter') !== 'source') continue;
      const key = `${pod}|${label(m[1], 'destination_service_name')} ${label(m[1], 'response_code')} ${label(m[1], 'response_flags')}`;
      counts.set(key, (counts.get(key) ?? 0) + Number(m[2]));
    }
  }));
  return counts;
}

/**
 * Non-2xx answers the sidecars recorded between two snapshots (a pod absent before counts from 0): the app gave
 * up (DC), the upstream app answered it (no flag), or the mesh did (any other flag).
 */
export function sidecarFailures(before, after) {
  const out = { appTimeouts: {}, appErrors: {}, mesh: {} };
  for (const [key, n] of after) {
    const delta = n - (before.get(key) ?? 0);
    const [, what] = key.split('|');
    const [, code, flags] = what.split(' ');
    if (delta <= 0 || /^2/.test(code)) continue;
    const into = flags.split(',').includes('DC') ? out.appTimeouts : flags === '-' ? out.appErrors : out.mesh;
    into[what] = (into[what] ?? 0) + delta;
  }
  return out;
}
