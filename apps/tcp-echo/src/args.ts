import { TrellisError } from '@trellis/shared';

/** What Istio's tcp-echo-server takes on its command line: `<port>[,<port>…] <prefix>`. */
export interface EchoArgs {
  readonly ports: readonly number[];
  readonly prefix: string;
}

/** `["9000,9001,9002", "one"]` → ports [9000, 9001, 9002], prefix "one" (argv without node and the script). */
export function parseArgs(argv: readonly string[]): EchoArgs {
  const [portList, prefix, ...rest] = argv;
  if (portList === undefined || prefix === undefined || rest.length > 0) {
    throw new TrellisError('INVALID_ARGUMENT', 'usage: tcp-echo <port>[,<port>…] <prefix>', { argv: [...argv] });
  }
  const ports = portList.split(',').map((p) => {
    const n = Number(p);
    if (!/^\d+$/.test(p) || n < 1 || n > 65535) throw new TrellisError('INVALID_ARGUMENT', 'not a TCP port', { port: p, portList });
    return n;
  });
  return { ports, prefix };
}
