/**
 * A span's tags while it is serialised: two parallel arrays reused for every span (finishing a span is
 * synchronous, so one list per process suffices), so a sampled request allocates no tag object.
 * `add` appends (Envoy's own tags, distinct by construction); `set` replaces a tag of the same key
 * (custom tags override, as Envoy's Span::setTag does).
 */
export class TagList {
  readonly keys: string[] = [];
  readonly values: string[] = [];
  length = 0;

  reset(): void {
    this.length = 0;
  }

  add(key: string, value: string): void {
    this.keys[this.length] = key;
    this.values[this.length] = value;
    this.length++;
  }

  set(key: string, value: string): void {
    for (let i = 0; i < this.length; i++) {
      if (this.keys[i] === key) {
        this.values[i] = value;
        return;
      }
    }
    this.add(key, value);
  }

  get(key: string): string | undefined {
    for (let i = 0; i < this.length; i++) if (this.keys[i] === key) return this.values[i];
    return undefined;
  }

  static from(tags: Readonly<Record<string, string>>): TagList {
    const list = new TagList();
    for (const k of Object.keys(tags)) list.add(k, tags[k] as string);
    return list;
  }
}

const keyCache = new Map<string, string>();

/** `"key"` as JSON, escaped once per distinct key (tag keys are a small fixed set). */
export function jsonKey(key: string): string {
  let k = keyCache.get(key);
  if (k === undefined) {
    k = JSON.stringify(key);
    if (keyCache.size < 1024) keyCache.set(key, k);
  }
  return k;
}

/**
 * A JSON string literal: printable ASCII without `"` or `\\` (ids, numbers, cluster names, most URLs) is
 * quoted as is; anything else goes through JSON.stringify (escapes, non-ASCII, lone surrogates).
 */
export function jsonString(v: string): string {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) return JSON.stringify(v);
  }
  return `"${v}"`;
}
