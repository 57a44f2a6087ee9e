/**
 * PRIVATE-API SEAM (docs/architecture.md, "Private-API seam"): the original destination of a
 * connection that iptables `REDIRECT`ed to the proxy, as Envoy's `envoy.filters.listener.original_dst`
 * reads it.
 *
 * Private API: `socket._handle.fd`, the file descriptor of a `net.Socket`'s undocumented libuv TCP
 * handle (Linux), handed to a native addon of our own (`libs/mesh/proxy/native/original-dst`:
 * N-API, `getsockopt(fd, SOL_IP, SO_ORIGINAL_DST)`, IPv6 `SOL_IPV6`/`IP6T_SO_ORIGINAL_DST`). Node has
 * no public getsockopt. The addon is built by `npm run build` (`original_dst.node` next to the
 * proxy bundle; the image compiles it in a builder stage) and loaded with `process.dlopen`.
 *
 * Justification: Envoy parity — without it captured TCP cannot be routed (after REDIRECT the
 * accepted socket's local address is the capture port, 15001/15006, and opaque TCP carries no Host;
 * docs/capture.md). Measured cost per connection: 2.2–3.3 µs for one `read()` (`_handle.fd` +
 * getsockname + getsockopt on a REDIRECTed connection: 10k calls, best round of 5, three runs of
 * `node libs/mesh/proxy/native/original-dst/bench.mjs`; 2-core Debian 12 machine under load ~3.5,
 * Node 20.20) — one call per accepted captured connection, not per request.
 *
 * Test that pins it: `unsafe/original-dst.test.ts` — in a network namespace with a real nat
 * `REDIRECT`, an accepted socket (IPv4, v4-mapped on a `::` listener, IPv6) reads the address the
 * client dialled, a direct connection reads undefined; a Node upgrade that removes `_handle.fd`
 * fails there.
 *
 * Fallback: `loadOriginalDst()` loads the addon once; when the file is missing (no toolchain at
 * build time), fails to load, is not of the expected shape, or the proxy runs with
 * `privateApis: false` (`--private-apis off`, `TRELLIS_PRIVATE_APIS=off`), it reports
 * `{ available: false, reason }` and the proxy keeps routing captured traffic by Host /
 * `:authority` (docs/capture.md §2). The proxy logs which at start-up (`original destination
 * reader chosen`) and keeps the result as `ctx.originalDst`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Socket } from 'node:net';

/** The addon's file name, next to the proxy bundle (tools/build/build.mjs copies it there). */
export const ORIGINAL_DST_ADDON = 'original_dst.node';

export interface OriginalDestination {
  readonly address: string;
  readonly port: number;
}

export type OriginalDstReader =
  | {
      readonly available: true;
      /** The pre-REDIRECT destination of an accepted socket; undefined when it was not redirected (or is closed). */
      read(socket: Socket): OriginalDestination | undefined;
    }
  | { readonly available: false; readonly reason: string };

export interface OriginalDstOptions {
  /** false: the public fallback (`--private-apis off`). Default true. */
  readonly privateApis?: boolean;
  /** The addon to load; default `original_dst.node` next to this bundle. Tests pass the build cache's. */
  readonly file?: string;
}

/** What the addon exports (native/original-dst/original_dst.c). */
interface Addon {
  originalDst(fd: number): { address: string; port: number; family: 'IPv4' | 'IPv6' } | null;
}

const loaded = new Map<string, Addon | Error>();

/** dlopen once per file per process (re-opening a native module is not something to rely on). */
function loadAddon(file: string): Addon | Error {
  let addon = loaded.get(file);
  if (addon === undefined) {
    try {
      const mod = { exports: {} as Partial<Addon> };
      process.dlopen(mod, file);
      addon = typeof mod.exports.originalDst === 'function' ? (mod.exports as Addon) : new Error(`${file} does not export originalDst()`);
    } catch (err) {
      // dlopen's errors may come from another realm (jest): keep the message, not the prototype.
      addon = new Error(typeof (err as { message?: unknown })?.message === 'string' ? (err as Error).message : String(err));
    }
    loaded.set(file, addon);
  }
  return addon;
}

/** The private part: the fd of a net.Socket's libuv handle (-1 or absent once closed). */
function socketFd(socket: Socket): number | undefined {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } | null })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

export function loadOriginalDst(options: OriginalDstOptions = {}): OriginalDstReader {
  if (options.privateApis === false) return { available: false, reason: 'private APIs disabled' };
  if (process.platform !== 'linux') return { available: false, reason: 'SO_ORIGINAL_DST is Linux-only' };
  const file = options.file ?? path.join(__dirname, ORIGINAL_DST_ADDON);
  if (!existsSync(file)) return { available: false, reason: `${ORIGINAL_DST_ADDON} not found at ${file} (npm run build compiles it when a C toolchain is present)` };
  const addon = loadAddon(file);
  if (addon instanceof Error) return { available: false, reason: `${file}: ${addon.message.split('\n')[0]}` };
  return {
    available: true,
    read(socket) {
      const fd = socketFd(socket);
      if (fd === undefined) return undefined;
      try {
        const dst = addon.originalDst(fd);
        return dst === null ? undefined : { address: dst.address, port: dst.port };
      } catch {
        return undefined; // EBADF/ENOTSOCK: the socket went away under us; nothing to route by
      }
    },
  };
}
