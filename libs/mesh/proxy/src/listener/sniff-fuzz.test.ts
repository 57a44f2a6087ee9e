import { filterChainProtocols, inspect, type SniffLimits, type SniffResult } from './sniff';
import { buildClientHello, captureClientHello, prng, splitRecords } from './sniff.fixtures';

/*
 * inspect() on garbage: random buffers and mutated real ClientHellos. For every input: no exception,
 * a known kind, never need-more once the bound is reached, nothing past the bound looked at (junk
 * there changes nothing), and every prefix answers need-more or the input's own answer.
 */

const LIMITS: SniffLimits = { maxClientHelloBytes: 4096, maxRequestLineBytes: 512 };
const KINDS = ['need-more', 'tls', 'http1', 'h2c', 'opaque'];

type Rnd = () => number;
const int = (rnd: Rnd, n: number): number => Math.floor(rnd() * n);

function randomBytes(rnd: Rnd, n: number): Buffer {
  return Buffer.from(Array.from({ length: n }, () => int(rnd, 256)));
}

function check(bytes: Buffer, rnd: Rnd): SniffResult {
  const result = inspect(bytes, LIMITS);
  expect(KINDS).toContain(result.kind);
  expect(() => filterChainProtocols(result)).not.toThrow();
  const bound = bytes[0] === 22 ? LIMITS.maxClientHelloBytes : LIMITS.maxRequestLineBytes;
  if (bytes.length >= bound) {
    expect(result.kind).not.toBe('need-more');
    const junk = Buffer.concat([bytes.subarray(0, bound), randomBytes(rnd, 1 + int(rnd, 64))]);
    expect(inspect(junk, LIMITS)).toEqual(result);
  }
  const prefix = inspect(bytes.subarray(0, int(rnd, bytes.length + 1)), LIMITS);
  if (prefix.kind !== 'need-more') expect(prefix).toEqual(result);
  return result;
}

/** Random bytes, a third starting like a TLS record and a third like an HTTP request or the h2 preface. */
function randomInput(rnd: Rnd): Buffer {
  const length = rnd() < 0.9 ? int(rnd, 80) : int(rnd, 2 * LIMITS.maxClientHelloBytes);
  const body = randomBytes(rnd, length);
  const http = ['GET / HTTP/1.', 'HEAD /x HTTP/1.1\r', 'PRI * HTTP/2.0\r\n\r\nSM', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'POST '];
  const pick = int(rnd, 3);
  if (pick === 2) return body;
  const start = pick === 0 ? Buffer.from([22, 3, int(rnd, 6)]) : Buffer.from(http[int(rnd, http.length)]!, 'latin1');
  return Buffer.concat([start, body]).subarray(0, Math.max(length, int(rnd, start.length + 1)));
}

/** Where the length fields of a well-formed one-record ClientHello are (offset, width). */
function lengthFields(hello: Buffer): Array<[number, 1 | 2 | 3]> {
  const fields: Array<[number, 1 | 2 | 3]> = [[3, 2], [6, 3]];
  let pos = 9 + 34;
  fields.push([pos, 1]);
  pos += 1 + hello[pos]!;
  fields.push([pos, 2]);
  pos += 2 + hello.readUInt16BE(pos);
  fields.push([pos, 1]);
  pos += 1 + hello[pos]!;
  if (pos >= hello.length) return fields;
  fields.push([pos, 2]);
  for (pos += 2; pos + 4 <= hello.length; pos += 4 + hello.readUInt16BE(pos + 2)) {
    fields.push([pos + 2, 2]);
    const type = hello.readUInt16BE(pos);
    if (type === 0) fields.push([pos + 4, 2], [pos + 7, 2]); // server_name list, host_name
    if (type === 16) fields.push([pos + 4, 2], [pos + 6, 1]); // ALPN list, first name
  }
  return fields;
}

function mutate(hello: Buffer, rnd: Rnd): Buffer {
  const out = Buffer.from(hello);
  switch (int(rnd, 5)) {
    case 0: // bit flips
      for (let i = 1 + int(rnd, 8); i > 0; i--) out[int(rnd, out.length)]! ^= 1 << int(rnd, 8);
      return out;
    case 1: // truncation
      return out.subarray(0, int(rnd, out.length));
    case 2: {
      // a length field set to its maximum (0xffff…) or to 0
      const fields = lengthFields(hello);
      const [offset, width] = fields[int(rnd, fields.length)]!;
      out.writeUIntBE(rnd() < 0.75 ? 2 ** (8 * width) - 1 : 0, offset, width);
      return out;
    }
    case 3: {
      // bytes inserted or deleted somewhere
      const at = int(rnd, out.length);
      const tail = out.subarray(at + (rnd() < 0.5 ? int(rnd, 8) : 0));
      return Buffer.concat([out.subarray(0, at), rnd() < 0.5 ? randomBytes(rnd, 1 + int(rnd, 8)) : Buffer.alloc(0), tail]);
    }
    default: {
      // re-fragmented into records, then flipped once
      const fragment = hello.readUInt16BE(3);
      const cuts = [...new Set(Array.from({ length: 1 + int(rnd, 4) }, () => 1 + int(rnd, fragment - 1)))].sort((a, b) => a - b);
      const multi = splitRecords(hello, cuts);
      multi[int(rnd, multi.length)]! ^= 1 << int(rnd, 8);
      return multi;
    }
  }
}

describe('inspect: fuzz', () => {
  let hellos: Buffer[];
  beforeAll(async () => {
    hellos = [
      await captureClientHello({ servername: 'reviews.default.svc.cluster.local', ALPNProtocols: ['h2', 'http/1.1'] }),
      await captureClientHello(),
      buildClientHello({ sni: 'a.example', alpn: ['h2'] }),
      buildClientHello({ extensions: false }),
    ];
  });

  it('2,000 random buffers (seeded)', () => {
    const rnd = prng(15);
    const kinds = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const kind = check(randomInput(rnd), rnd).kind;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    // The generator reaches every kind (tls: a TLS record header over malformed contents).
    expect([...kinds.keys()].sort()).toEqual([...KINDS].sort());
  });

  it('2,000 mutated real ClientHellos (bit flips, truncations, length fields 0xffff or 0, splices, records)', () => {
    const rnd = prng(1501);
    for (let i = 0; i < 2000; i++) {
      const bytes = mutate(hellos[i % hellos.length]!, rnd);
      const result = check(bytes, rnd);
      const tlsHeader = bytes[0] === 22 && bytes[1] === 3 && bytes[2]! <= 4;
      if (tlsHeader) expect(['tls', 'need-more']).toContain(result.kind);
    }
  });

  it('a 64 KiB ClientHello of one-byte records is read within the bound, without quadratic work', () => {
    const hello = buildClientHello({ sni: 'x'.repeat(200), alpn: Array.from({ length: 200 }, (_, i) => `p${i}`) });
    const fragment = hello.readUInt16BE(3);
    const tiny = splitRecords(hello, Array.from({ length: fragment - 1 }, (_, i) => i + 1));
    expect(tiny.length).toBeLessThan(64 * 1024);
    const started = process.hrtime.bigint();
    expect(inspect(tiny)).toMatchObject({ kind: 'tls', sni: 'x'.repeat(200) });
    expect(inspect(Buffer.concat([tiny, tiny]).subarray(0, 64 * 1024))).toMatchObject({ kind: 'tls' });
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
  });
});
