import { connect, type Socket } from 'node:net';
import { silentLogger } from '@trellis/shared';
import { startEchoServers, type EchoServers } from './echo';

/** Connect, write `chunks` (one write each), half-close, and collect everything until the server closes. */
function exchange(port: number, chunks: readonly (string | Buffer)[]): Promise<{ reply: string; closedBy: 'end' | 'close' }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ port, host: '127.0.0.1' });
    const got: Buffer[] = [];
    let ended = false;
    socket.on('data', (b: Buffer) => got.push(b));
    socket.on('end', () => (ended = true));
    socket.on('error', reject);
    socket.on('close', () => resolve({ reply: Buffer.concat(got).toString(), closedBy: ended ? 'end' : 'close' }));
    socket.on('connect', () => {
      for (const c of chunks) socket.write(c);
      socket.end();
    });
  });
}

describe('tcp-echo server', () => {
  let servers: EchoServers;
  beforeEach(async () => {
    servers = await startEchoServers({ ports: [0, 0], prefix: 'hello', logger: silentLogger(), host: '127.0.0.1', maxLineBytes: 1024 });
  });
  afterEach(() => servers.close());

  it('answers each line with "<prefix> <line>" on every port, then closes after the peer ends', async () => {
    expect(servers.ports).toHaveLength(2);
    for (const port of servers.ports) {
      await expect(exchange(port, ['world\n'])).resolves.toEqual({ reply: 'hello world\n', closedBy: 'end' });
    }
  });

  it('splits lines across and within writes; a last line without newline is dropped (Go ReadBytes at EOF)', async () => {
    const { reply } = await exchange(servers.ports[0] ?? 0, ['a\nb', 'c\n', 'd\ne\n\n', 'tail']);
    expect(reply).toBe('hello a\nhello bc\nhello d\nhello e\nhello \n');
  });

  it('echoes bytes as sent (no re-encoding)', async () => {
    const bytes = Buffer.from([0xff, 0x00, 0xc3, 0x28, 0x0a]);
    const reply = await new Promise<Buffer>((resolve) => {
      const s = connect({ port: servers.ports[0] ?? 0, host: '127.0.0.1' }, () => s.end(bytes));
      const got: Buffer[] = [];
      s.on('data', (b: Buffer) => got.push(b));
      s.on('close', () => resolve(Buffer.concat(got)));
    });
    expect(reply).toEqual(Buffer.concat([Buffer.from('hello '), bytes]));
  });

  it('closes a connection whose line outgrows maxLineBytes; others are unaffected', async () => {
    const long = exchange(servers.ports[0] ?? 0, ['x'.repeat(600), 'y'.repeat(600)]);
    await expect(long).resolves.toEqual({ reply: '', closedBy: expect.any(String) });
    await expect(exchange(servers.ports[0] ?? 0, ['ok\n'])).resolves.toMatchObject({ reply: 'hello ok\n' });
  });

  it('a port already in use fails the start and releases the ports it bound', async () => {
    const taken = servers.ports[0] ?? 0;
    await expect(startEchoServers({ ports: [0, taken], prefix: 'x', logger: silentLogger(), host: '127.0.0.1' })).rejects.toThrow(/EADDRINUSE/);
  });

  it('close() ends open connections', async () => {
    const s = connect({ port: servers.ports[1] ?? 0, host: '127.0.0.1' });
    await new Promise((resolve) => s.on('connect', resolve));
    const closed = new Promise((resolve) => s.on('close', resolve));
    s.on('error', () => undefined);
    await servers.close();
    await closed;
    servers = await startEchoServers({ ports: [0], prefix: 'x', logger: silentLogger(), host: '127.0.0.1' });
  });
});
