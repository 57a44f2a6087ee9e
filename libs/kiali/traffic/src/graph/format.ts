/**
 * Kiali's number formatting in graph JSON: rates with at least 2 decimals, more until a
 * significant digit shows (at most 5); percentages with 1 decimal.
 */
export function formatRate(v: number): string {
  for (let d = 2; d < 5; d++) {
    const s = v.toFixed(d);
    if (Number(s) !== 0) return s;
  }
  return v.toFixed(5);
}

export const formatPercent = (v: number): string => v.toFixed(1);

/** Milliseconds / whole percentages: integers, or 2 decimals below 1. */
export function formatWhole(v: number): string {
  return v >= 1 || v === 0 ? v.toFixed(0) : v.toFixed(2);
}
