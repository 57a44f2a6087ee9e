// An HTTP CONNECT proxy for `docker build` inside the cluster's node, which has no route off the
// machine: RUN steps (npm ci) reach the npm registry through it and nothing else. It listens on the
// host end of the node's veth and tunnels only to the allowed host:443 pairs.
//   node registry-proxy.mjs --listen 172.31.255.1 [--port 0] [--port-file F] [--allow registry.npmjs.org]
import { createServer, connect } from 'node:net';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    listen: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    'port-file': { type: 'string' },
    allow: { type: 'string', multiple: true, default: ['registry.npmjs.org'] },
  },
});
const allowed = new Set(values.allow.map((h) => `${h.toLowerCase()}:443`));
const log = (msg, fields) => process.stderr.write(JSON.stringify({ time: Date.now(), msg, ...fields }) + '\n');

// Reads the request head ("CONNECT host:port HTTP/1.1 … \r\n\r\n"), then splices the two sockets.
function onClient(client) {
  let head = Buffer.alloc(0);
  client.on('error', () => client.destroy());
  client.on('data', function onData(chunk) {
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      if (head.length > 16384) client.end('HTTP/1.1 431 Request Header Fields Too Large\r\n\r\n');
      return;
    }
    client.off('data', onData);
    const [method, target = ''] = head.subarray(0, head.indexOf('\r\n')).toString('latin1').split(' ');
    if (method !== 'CONNECT' || !allowed.has(target.toLowerCase())) {
      log('proxy request refused', { method, target });
      client.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    const [host, port] = target.split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      const rest = head.subarray(end + 4);
      if (rest.length) upstream.write(rest);
      client.pipe(upstream).pipe(client);
    });
    upstream.on('error', (err) => {
      log('upstream connect failed', { target, err: err.message });
      client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
    });
    client.on('close', () => upstream.destroy());
  });
}

const server = createServer(onClient);
server.listen(Number(values.port), values.listen, () => {
  const { port } = server.address();
  if (values['port-file']) writeFileSync(values['port-file'], String(port));
  log('registry proxy listening', { address: values.listen, port, allow: [...allowed] });
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
