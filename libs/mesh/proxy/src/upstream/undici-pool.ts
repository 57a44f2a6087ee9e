import type { Pool as UndiciPool } from 'undici';

/**
 * undici's Pool without undici's index: `require('undici')` also loads fetch, WebSocket, the cache
 * and mock agents (~9 MB of RSS in a proxy that only dispatches). Same class, deep path.
 */
export const Pool = require('undici/lib/dispatcher/pool') as typeof UndiciPool;
export type Pool = UndiciPool;
