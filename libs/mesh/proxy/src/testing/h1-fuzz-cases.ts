/**
 * Fuzz cases for the HTTP/1.1 codec (h1-fuzz.test.ts): well-formed pipelined requests, then the
 * smuggling shapes (CL+TE, duplicate or conflicting CL, obs-fold, bare LF, bad chunk sizes, TE
 * variants, huge headers) and random byte edits, written in random pieces. Deterministic per seed.
 */
import { type Random, mulberry32, pick } from '@trellis/shared';

export { mulberry32, type Random };

export interface FuzzCase {
  readonly id: number;
  readonly mutations: readonly string[];
  readonly pieces: readonly Buffer[];
}

interface Req {
  method: string;
  path: string;
  headers: [string, string][];
  body: string;
  chunked: boolean;
  eol: string;
}

function baseRequest(id: number, n: number, r: Random): Req {
  const method = pick(r, ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']);
  const body = method === 'GET' || method === 'HEAD' ? '' : 'x'.repeat(Math.floor(r() * 40));
  const chunked = body.length > 0 && r() < 0.4;
  const headers: [string, string][] = [['Host', 'fuzz.example.com']];
  if (body.length > 0) headers.push(chunked ? ['Transfer-Encoding', 'chunked'] : ['Content-Length', String(body.length)]);
  return { method, path: `/c${id}/r${n}`, headers, body, chunked, eol: '\r\n' };
}

const SMUGGLED = 'GET /c{id}/smuggled HTTP/1.1\r\nHost: fuzz.example.com\r\n\r\n';

/** Each mutation edits one request; its name goes into the case's record. */
const MUTATIONS: Record<string, (q: Req, r: Random, id: number) => void> = {
  'cl+te': (q) => {
    q.headers.push(['Content-Length', String(q.body.length + 5)], ['Transfer-Encoding', 'chunked']);
    q.chunked = true;
  },
  'te+cl': (q) => {
    q.headers.unshift(['Transfer-Encoding', 'chunked']);
    q.headers.push(['Content-Length', '4']);
    q.chunked = true;
  },
  'dup-cl-same': (q) => q.headers.push(['Content-Length', String(q.body.length)]),
  'dup-cl-diff': (q) => q.headers.push(['Content-Length', String(q.body.length + 3)]),
  'cl-list': (q) => q.headers.push(['Content-Length', `${q.body.length}, ${q.body.length}`]),
  'cl-sign': (q, r) => q.headers.push(['Content-Length', pick(r, ['+3', '-1', '0x3', ' 3', '3 3', '99999999999999999999'])]),
  'obs-fold': (q, r) => q.headers.push([pick(r, ['X-Folded', 'Transfer-Encoding', 'Content-Length']), 'a\r\n b']),
  'bare-lf': (q) => (q.eol = '\n'),
  'bare-cr': (q) => (q.eol = '\r'),
  'te-variant': (q, r) => {
    q.headers = q.headers.filter(([k]) => k !== 'Content-Length');
    q.headers.push(['Transfer-Encoding', pick(r, ['chunked, identity', 'identity, chunked', ' chunked', 'chunked ', 'xchunked', 'CHUNKED', 'chunked\t', 'gzip, chunked', 'chunked, gzip'])]);
    q.chunked = true;
  },
  'te-space-colon': (q) => q.headers.push(['Transfer-Encoding ', 'chunked']),
  'bad-chunk-size': (q, r) => {
    q.headers = q.headers.filter(([k]) => k !== 'Content-Length' && k !== 'Transfer-Encoding');
    q.headers.push(['Transfer-Encoding', 'chunked']);
    q.chunked = true;
    q.body = `${pick(r, ['zz', '-1', '0x5', 'ffffffffffffffffffff', '5 ;ext', '5;a=b', '', ' 5'])}\r\nabcde\r\n0\r\n\r\n`;
  },
  'smuggle-in-body': (q, _r, id) => {
    q.body = SMUGGLED.replace('{id}', String(id));
    q.headers = q.headers.filter(([k]) => k !== 'Content-Length' && k !== 'Transfer-Encoding');
    q.headers.push(['Content-Length', '0'], ['Transfer-Encoding', 'chunked']);
    q.chunked = false;
  },
  'huge-header': (q, r) => q.headers.push(['X-Huge', 'h'.repeat(pick(r, [8_000, 59_000, 70_000]))]),
  'many-headers': (q) => {
    for (let i = 0; i < 200; i++) q.headers.push([`X-H${i}`, 'v']);
  },
  'bad-name': (q, r) => q.headers.push([pick(r, ['X Bad', 'X\u0000Nul', '', 'X(y)', 'Ünicode']), 'v']),
  'bad-version': (q, r) => (q.path = `${q.path} ${pick(r, ['HTTP/1.2', 'HTTP/2.0', 'HTTP/0.9', 'HTTPS/1.1'])}#`),
  'no-host': (q) => (q.headers = q.headers.filter(([k]) => k !== 'Host')),
};

function serialize(q: Req): string {
  const body = q.chunked && !q.body.includes('\r\n0\r\n') ? (q.body.length > 0 ? `${q.body.length.toString(16)}\r\n${q.body}\r\n` : '') + '0\r\n\r\n' : q.body;
  const line = q.path.includes('#') ? `${q.method} ${q.path.replace(/#$/, '')}` : `${q.method} ${q.path} HTTP/1.1`;
  return [line, ...q.headers.map(([k, v]) => `${k}: ${v}`)].join(q.eol) + q.eol + q.eol + body;
}

/** Random byte edits of the serialized stream (flip, insert a delimiter, delete). */
function editBytes(text: string, r: Random): string {
  const at = Math.floor(r() * text.length);
  const op = pick(r, ['flip', 'insert', 'delete']);
  if (op === 'delete') return text.slice(0, at) + text.slice(at + 1);
  const c = op === 'flip' ? String.fromCharCode(text.charCodeAt(at) ^ (1 << Math.floor(r() * 7))) : pick(r, ['\r', '\n', ':', ' ', '\0', '0', ';', '\t']);
  return text.slice(0, at) + c + text.slice(op === 'flip' ? at + 1 : at);
}

export function fuzzCase(id: number, r: Random): FuzzCase {
  const count = 1 + Math.floor(r() * 3);
  const mutations: string[] = [];
  const parts = Array.from({ length: count }, (_, n) => {
    const q = baseRequest(id, n, r);
    if (r() < 0.7) {
      const name = pick(r, Object.keys(MUTATIONS));
      MUTATIONS[name]?.(q, r, id);
      mutations.push(`${n}:${name}`);
    }
    return serialize(q);
  });
  let text = parts.join('');
  if (r() < 0.15) {
    text = editBytes(text, r);
    mutations.push('byte-edit');
  }
  const bytes = Buffer.from(text, 'latin1');
  const cuts = [...new Set(Array.from({ length: Math.floor(r() * 4) }, () => Math.floor(r() * bytes.length)))].sort((a, b) => a - b);
  const pieces = [0, ...cuts].map((from, i) => bytes.subarray(from, [...cuts, bytes.length][i]));
  return { id, mutations, pieces: pieces.filter((b) => b.length > 0) };
}

/** One request without Host, whatever the seed drew: every run checks the 400 at least once. */
export function noHostCase(id: number, r: Random): FuzzCase {
  const q = baseRequest(id, 0, r);
  MUTATIONS['no-host']?.(q, r, id);
  return { id, mutations: ['0:no-host'], pieces: [Buffer.from(serialize(q), 'latin1')] };
}
