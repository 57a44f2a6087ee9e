/**
 * RESP2, the Redis protocol, for the few commands the limiter sends: commands as arrays of bulk
 * strings; replies parsed incrementally (simple strings, errors, integers, bulk strings, arrays).
 */
export type Reply = string | number | null | Error | Reply[];

export function encodeCommand(args: readonly (string | number)[]): Buffer {
  const parts: string[] = [`*${args.length}\r\n`];
  for (const a of args) {
    const s = String(a);
    parts.push(`$${Buffer.byteLength(s)}\r\n${s}\r\n`);
  }
  return Buffer.from(parts.join(''));
}

/** Parses whole replies out of the bytes received so far; keeps the incomplete rest. */
export class ReplyParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Reply[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Reply[] = [];
    for (;;) {
      const r = this.parse(0);
      if (r === undefined) break;
      out.push(r.reply);
      this.buf = this.buf.subarray(r.end);
    }
    return out;
  }

  private line(at: number): { text: string; next: number } | undefined {
    const end = this.buf.indexOf('\r\n', at);
    return end < 0 ? undefined : { text: this.buf.toString('utf8', at + 1, end), next: end + 2 };
  }

  private parse(at: number): { reply: Reply; end: number } | undefined {
    if (at >= this.buf.length) return undefined;
    const type = this.buf[at];
    const l = this.line(at);
    if (l === undefined) return undefined;
    if (type === 0x2b /* + */) return { reply: l.text, end: l.next };
    if (type === 0x2d /* - */) return { reply: new Error(l.text), end: l.next };
    if (type === 0x3a /* : */) return { reply: Number(l.text), end: l.next };
    if (type === 0x24 /* $ */) {
      const len = Number(l.text);
      if (len < 0) return { reply: null, end: l.next };
      if (this.buf.length < l.next + len + 2) return undefined;
      return { reply: this.buf.toString('utf8', l.next, l.next + len), end: l.next + len + 2 };
    }
    if (type === 0x2a /* * */) return this.array(Number(l.text), l.next);
    throw new Error(`unexpected RESP type byte ${String(type)}`);
  }

  private array(count: number, at: number): { reply: Reply; end: number } | undefined {
    if (count < 0) return { reply: null, end: at };
    const items: Reply[] = [];
    let end = at;
    for (let i = 0; i < count; i++) {
      const r = this.parse(end);
      if (r === undefined) return undefined;
      items.push(r.reply);
      end = r.end;
    }
    return { reply: items, end };
  }
}
