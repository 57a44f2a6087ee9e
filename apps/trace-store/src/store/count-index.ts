/** A two-level index with reference counts: `outer → inner → n`; an inner key disappears when its count does. */
export class CountIndex {
  private readonly map = new Map<string, Map<string, number>>();

  add(outer: string, inner: string): void {
    let m = this.map.get(outer);
    if (m === undefined) this.map.set(outer, (m = new Map()));
    m.set(inner, (m.get(inner) ?? 0) + 1);
  }

  remove(outer: string, inner: string): void {
    const m = this.map.get(outer);
    const n = m?.get(inner);
    if (m === undefined || n === undefined) return;
    if (n > 1) m.set(inner, n - 1);
    else m.delete(inner);
    if (m.size === 0) this.map.delete(outer);
  }

  outerKeys(): string[] {
    return [...this.map.keys()];
  }

  innerKeys(outer: string): IterableIterator<string> | undefined {
    return this.map.get(outer)?.keys();
  }
}
