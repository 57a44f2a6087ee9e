#!/usr/bin/env node
// pilot-agent in the proxy image, for the one subcommand Istio's tasks run in the istio-proxy container:
//   pilot-agent request [--debug-port 15000] <method> <path> [<body>]
// e.g. `kubectl exec deploy/fortio-deploy -c istio-proxy -- pilot-agent request GET stats` (circuit breaking).
// As Istio's: the request goes to localhost:<debug-port> (the proxy's admin API; ports 15000, 15004, 15020,
// 15021 only), the body is printed, a status above 399 other than 404 exits 1. Anything else exits 1 naming it.
'use strict';
const http = require('node:http');

const ALLOWED = [15000, 15004, 15020, 15021];
const fail = (msg) => {
  process.stderr.write(`Error: ${msg}\n`);
  process.exit(1);
};

const [sub, ...rest] = process.argv.slice(2);
if (sub !== 'request') fail(`unknown command "${sub ?? ''}" for "pilot-agent": this image's pilot-agent runs only "request <method> <path> [<body>]"`);
let port = 15000;
const args = [];
for (let i = 0; i < rest.length; i++) {
  const m = /^--debug-port(?:=(.*))?$/.exec(rest[i]);
  if (m === null) args.push(rest[i]);
  else port = Number(m[1] ?? rest[++i]);
}
if (!ALLOWED.includes(port)) fail(`debug port ${port} is not in allowed list [${ALLOWED.join(' ')}]`);
if (args.length < 2 || args.length > 3) fail('requires at least 2 arg(s): pilot-agent request <method> <path> [<body>]');
const [method, path, body = ''] = args;

const req = http.request({ host: 'localhost', port, path: `/${path.replace(/^\//, '')}`, method: method.toUpperCase(), timeout: 60000 }, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    const text = Buffer.concat(chunks).toString();
    if (res.statusCode > 399 && res.statusCode !== 404) fail(`received unsuccessful status code ${res.statusCode}: ${text}`);
    process.stdout.write(`${text}\n`);
  });
});
req.on('timeout', () => req.destroy(new Error('timeout')));
req.on('error', (err) => fail(`${method} http://localhost:${port}/${path}: ${err.message}`));
req.end(body);
