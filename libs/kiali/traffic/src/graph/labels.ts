/** Istio label values Kiali treats as "not known". */
export const UNKNOWN = 'unknown';

/** Kiali's `isOK`: present, non-empty and not `unknown`. */
export function ok(v: string | undefined): v is string {
  return v !== undefined && v !== '' && v !== UNKNOWN;
}

export const label = (m: Record<string, string>, name: string): string => m[name] ?? '';

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
/** `destination_service` names that are really addresses (passthrough traffic to a pod IP). */
export function looksLikeIp(v: string): boolean {
  return IPV4.test(v) || (v.includes(':') && /^[0-9a-fA-F:.]+$/.test(v));
}

/** Escape a value for a PromQL double-quoted string. */
export function promString(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
