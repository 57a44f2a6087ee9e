import { CLIENT_FLAGS, type Env, cliLog, clientOptions } from './client-flags';
import { parseFlags } from './flags';
import { ThreadClient } from './http-client';
import { targetUrl } from './target';

/** `fortio curl [flags] url`: the response head and body as received; 1 when it is not a 200. */
export async function curl(argv: readonly string[], io: Env): Promise<number> {
  const f = parseFlags(argv, CLIENT_FLAGS);
  const url = targetUrl(f.args, 'curl');
  const log = cliLog(f, io.err);
  const client = new ThreadClient(clientOptions(f, url, io.env));
  try {
    const r = await client.call();
    if (r.code < 0) {
      log.log('Error', 'http_client.go:1175', `Unable to connect, err="${r.error ?? ''}"`);
      return 1;
    }
    io.out.write(r.rawHead);
    io.out.write(r.body);
    if (r.code !== 200) log.log('Error', 'fortio_main.go:396', `Error status, code=${r.code}, status="${r.status}"`);
    return r.code === 200 ? 0 : 1;
  } finally {
    client.close();
  }
}
