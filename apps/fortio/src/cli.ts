import { errorMessage, isTrellisError } from '@trellis/shared';
import type { Env } from './client-flags';
import { curl } from './curl';
import { load } from './load';
import { FORTIO_VERSION } from './load-report';

export const USAGE = `Φορτίο ${FORTIO_VERSION} usage:
    fortio command [flags] target
where command is one of: load (load testing), server (starts an HTTP echo server),
curl (single URL debug), version (prints the version).
where target is an http:// url (or host:port/path).
This is Trellis' fortio-compatible client (not upstream fortio): load and curl over HTTP/1.1,
through $http_proxy when set (local mode's sidecar); no gRPC, no web UI.
`;

/** `load` / `curl` / `version`; `server` is started by main (it keeps running). Returns the exit code. */
export async function runCommand(argv: readonly string[], io: Env): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'load') return await load(rest, io);
    if (command === 'curl') return await curl(rest, io);
    if (command === 'version') {
      io.out.write(`${FORTIO_VERSION}\n`);
      return 0;
    }
    io.err.write(`${command === undefined ? '' : `Error: unknown command ${command}\n`}${USAGE}`);
    return 1;
  } catch (err) {
    io.err.write(`${isTrellisError(err) ? err.message : errorMessage(err)}\n`);
    return 1;
  }
}
