/**
 * The `session` cookie, shaped like Flask's signed cookie: base64url(JSON) . base64url(timestamp)
 * . base64url(HMAC-SHA256). Only a correctly signed, unexpired cookie yields a user.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Session {
  /** `null` when the login form had no username (upstream stores None). */
  readonly user: string | null;
}

const MAX_AGE_SECONDS = 31 * 24 * 3600;

function sign(secret: string, data: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

function timestampBytes(seconds: number): string {
  let hex = seconds.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

export function encodeSession(secret: string, session: Session, nowMs = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ user: session.user })).toString('base64url');
  const signed = `${payload}.${timestampBytes(Math.floor(nowMs / 1000))}`;
  return `${signed}.${sign(secret, signed)}`;
}

function signatureMatches(secret: string, signed: string, signature: string): boolean {
  const expected = Buffer.from(sign(secret, signed));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function decodeSession(secret: string, value: string, nowMs = Date.now()): Session | undefined {
  const parts = value.split('.');
  if (parts.length !== 3) return undefined;
  const [payload = '', stamp = '', signature = ''] = parts;
  if (!signatureMatches(secret, `${payload}.${stamp}`, signature)) return undefined;
  const issued = parseInt(Buffer.from(stamp, 'base64url').toString('hex') || 'x', 16);
  if (!Number.isFinite(issued) || nowMs / 1000 - issued > MAX_AGE_SECONDS) return undefined;
  try {
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { user?: unknown };
    if (typeof data.user === 'string' || data.user === null) return { user: data.user };
  } catch {
    return undefined;
  }
  return undefined;
}

/** Reads one cookie from a Cookie header (first occurrence wins). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

export const SESSION_COOKIE = 'session';
export const CLEARED_SESSION_COOKIE = 'session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/';

export function sessionCookie(value: string): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; Path=/`;
}
