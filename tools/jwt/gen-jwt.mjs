#!/usr/bin/env node
// Istio's security/tools/jwt/samples/gen-jwt.py with jose: a JWT signed RS256 with a local private key,
// the key's RFC 7638 thumbprint as `kid` (what jwcrypto's key_id is), printed on stdout. Offline.
//
//   node tools/jwt/gen-jwt.mjs samples/jwt-server/key.pem                       # iss = sub = testing@secure.istio.io, 1 h
//   node tools/jwt/gen-jwt.mjs key.pem --iss new-issuer@secure.istio.io --expire 300
//   node tools/jwt/gen-jwt.mjs key.pem --aud foo,bar --claims email:foo@example.com,dead:beef
//   node tools/jwt/gen-jwt.mjs key.pem --listclaim groups group1 group2 --listclaim scope scope1 scope2
//   node tools/jwt/gen-jwt.mjs key.pem --jwks jwks.json --expire 3153600000 --claims foo:bar > demo.jwt
//
// Flags as gen-jwt.py takes them: -iss/--iss, -sub, -aud (comma-separated list), -claims (name:value,…, strings only),
// -expire <seconds> (default 3600), -jwks <file> (also write the public key set), -listclaim key v1 v2 … (repeatable),
// -nestedclaim key v1 [v2 …] (repeatable, under -nestedkey, default `nested`, with a copy under nested-2);
// `--flag=value` works too.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { SignJWT, calculateJwkThumbprint, exportJWK } from 'jose';

const USAGE = 'usage: gen-jwt.mjs <key.pem> [--iss ISS] [--sub SUB] [--aud A,B] [--claims k:v,…] [--expire SECONDS] [--jwks FILE] [--listclaim KEY V…] [--nestedclaim KEY V…] [--nestedkey KEY]';
const SINGLE = new Set(['iss', 'sub', 'aud', 'claims', 'expire', 'jwks', 'nestedkey']);
const MULTI = new Set(['listclaim', 'nestedclaim']);

function fail(message) {
  process.stderr.write(`gen-jwt: ${message}\n${USAGE}\n`);
  process.exit(2);
}

/** argparse's shapes: one positional key, single-value flags, `nargs='+'` flags that repeat. */
export function parseArgs(argv) {
  const opts = { iss: 'testing@secure.istio.io', expire: '3600', nestedkey: 'nested', listclaim: [], nestedclaim: [] };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--?([a-z]+)(?:=(.*))?$/.exec(argv[i]);
    if (m === null) { positional.push(argv[i]); continue; }
    const [, name, inline] = m;
    if (name === 'h' || name === 'help') { process.stdout.write(`${USAGE}\n`); process.exit(0); }
    if (SINGLE.has(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined) fail(`--${name} needs a value`);
      opts[name] = value;
    } else if (MULTI.has(name)) {
      const values = inline === undefined ? [] : [inline];
      while (i + 1 < argv.length && !argv[i + 1].startsWith('-')) values.push(argv[++i]);
      opts[name].push(values);
    } else fail(`unknown flag ${argv[i]}`);
  }
  if (positional.length !== 1) fail('expected exactly one key file');
  if (!/^-?\d+$/.test(opts.expire)) fail(`--expire takes seconds, not ${opts.expire}`);
  return { key: positional[0], ...opts, expire: Number(opts.expire) };
}

/** gen-jwt.py's payload: exp, iat, iss, sub (= iss when not given), aud, claims, list and nested claims. */
export function payloadOf(args, now) {
  const payload = { exp: now + args.expire, iat: now };
  if (args.iss) payload.iss = args.iss;
  payload.sub = args.sub ?? args.iss;
  if (args.aud) payload.aud = args.aud.includes(',') ? args.aud.split(',') : args.aud;
  for (const item of args.claims ? args.claims.split(',') : []) {
    const parts = item.split(':');
    if (parts.length !== 2) fail(`claim "${item}" is not name:value`);
    payload[parts[0]] = parts[1];
  }
  for (const [k, ...v] of args.listclaim) if (v.length > 0) payload[k] = v;
  const nested = {};
  for (const [k, ...v] of args.nestedclaim) if (v.length > 0) nested[k] = v.length === 1 ? v[0] : v;
  if (args.nestedclaim.length > 0) payload[args.nestedkey] = { ...nested, 'nested-2': { ...nested } };
  return payload;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const privateKey = createPrivateKey(readFileSync(args.key, 'utf8'));
  const jwk = await exportJWK(createPublicKey(privateKey));
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  if (args.jwks) writeFileSync(args.jwks, `${JSON.stringify({ keys: [{ ...jwk, kid }] }, null, 2)}\n`);
  const token = await new SignJWT(payloadOf(args, Math.floor(Date.now() / 1000)))
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
    .sign(privateKey);
  process.stdout.write(`${token}\n`);
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
