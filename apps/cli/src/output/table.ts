/** Column layout of Go's text/tabwriter as kubectl and istioctl configure it. */
export interface TableStyle {
  /** Minimum cell width including padding. */
  minWidth: number;
  /** Spaces added after the widest cell of a column. */
  padding: number;
}

/** kubectl: `tabwriter.NewWriter(out, 10, 4, 3, ' ', 0)`. */
export const KUBECTL_STYLE: TableStyle = { minWidth: 10, padding: 3 };
/** istioctl proxy-status / proxy-config: `tabwriter.NewWriter(out, 0, 8, 5, ' ', 0)`. */
export const ISTIOCTL_STYLE: TableStyle = { minWidth: 0, padding: 5 };

/**
 * Renders rows as aligned columns. Like tabwriter, every cell but the last of a row is padded to
 * its column's width; the last cell is written as is.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], style: TableStyle): string[] {
  const all = [header, ...rows];
  const columns = Math.max(...all.map((r) => r.length));
  const widths: number[] = [];
  for (let col = 0; col < columns - 1; col++) {
    const widest = Math.max(...all.map((r) => (r[col] ?? '').length));
    widths.push(Math.max(widest + style.padding, style.minWidth));
  }
  return all.map((row) =>
    row.map((cell, col) => (col < row.length - 1 ? cell.padEnd(widths[col] ?? 0) : cell)).join(''),
  );
}
