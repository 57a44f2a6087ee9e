import { randomUUID } from 'node:crypto';

/** Nonces by response body (a shared Change or Selection) and `kind\0version`. */
const nonces = new WeakMap<object, Map<string, string>>();

/** Distinct (kind, version) keys remembered per body; beyond that a body gets fresh nonces. */
const MAX_KEYS_PER_BODY = 8;

/**
 * The nonce of a response outside a push round (a stream's first answer to a type, a new
 * subscription): one per shared body, type and version, so every stream answered the same gets the
 * same encoded message (response bytes are cached per body and nonce), as push rounds already do.
 * A nonce only has to be unique within one stream: `usedHere` says whether this stream may still
 * be waiting on it (sent or pending), and then the answer gets a fresh one.
 */
export function sharedNonce(body: object, kind: string, version: string, usedHere: (nonce: string) => boolean): string {
  let byKey = nonces.get(body);
  if (byKey === undefined) {
    byKey = new Map();
    nonces.set(body, byKey);
  }
  const key = `${kind}\0${version}`;
  let nonce = byKey.get(key);
  if (nonce === undefined) {
    nonce = randomUUID();
    if (byKey.size < MAX_KEYS_PER_BODY) byKey.set(key, nonce);
  }
  return usedHere(nonce) ? randomUUID() : nonce;
}
