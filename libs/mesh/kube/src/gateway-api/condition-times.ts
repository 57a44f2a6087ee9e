type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** How an element of a status list is recognised across writes: a listener by name, a route parent by its ref and controller. */
function identity(v: unknown, index: number): string {
  if (!isRecord(v)) return `#${index}`;
  if (typeof v['name'] === 'string') return `name:${v['name']}`;
  if (v['parentRef'] !== undefined) return `parent:${canonical(v['parentRef'])}:${String(v['controllerName'])}`;
  return `#${index}`;
}

/** JSON with sorted keys, so equal values print equally. */
export function canonical(value: unknown, drop?: string): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, drop)).join(',')}]`;
  if (!isRecord(value)) return JSON.stringify(value) ?? 'null';
  const keys = Object.keys(value)
    .filter((k) => k !== drop && value[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k], drop)}`).join(',')}}`;
}

/** Whether two statuses say the same, whatever their conditions' `lastTransitionTime`. */
export const sameStatus = (a: unknown, b: unknown): boolean => canonical(a, 'lastTransitionTime') === canonical(b, 'lastTransitionTime');

function stampList(desired: unknown[], previous: unknown, now: string, conditions: boolean): unknown[] {
  const before = Array.isArray(previous) ? previous : [];
  if (conditions) {
    return desired.map((c) => {
      if (!isRecord(c)) return c;
      const old = before.find((p) => isRecord(p) && p['type'] === c['type']);
      const keep = isRecord(old) && old['status'] === c['status'] && typeof old['lastTransitionTime'] === 'string';
      return { ...c, lastTransitionTime: keep ? old['lastTransitionTime'] : now };
    });
  }
  const byId = new Map(before.map((p, i) => [identity(p, i), p]));
  return desired.map((d, i) => stamp(d, byId.get(identity(d, i)), now));
}

/**
 * `desired` with every condition's `lastTransitionTime` set as the API conventions say: kept from
 * `previous` while the condition's status is unchanged, `now` when it changes or is new.
 */
export function stamp(desired: unknown, previous: unknown, now: string): unknown {
  if (!isRecord(desired)) return desired;
  const prev = isRecord(previous) ? previous : {};
  const out: Json = {};
  for (const [k, v] of Object.entries(desired)) {
    out[k] = Array.isArray(v) ? stampList(v, prev[k], now, k === 'conditions') : isRecord(v) ? stamp(v, prev[k], now) : v;
  }
  return out;
}
