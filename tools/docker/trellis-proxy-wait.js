#!/usr/bin/env node
// trellis-proxy-wait: the sidecar's postStart hook (holdApplicationUntilProxyStarts). Polls the proxy's
// readiness endpoint until it answers 200, so the app container starts only once its proxy is ready.
// Exits 1 after TRELLIS_PROXY_WAIT_TIMEOUT seconds (default 60), which makes the kubelet restart the pod.
'use strict';
const http = require('node:http');

const url = process.env.TRELLIS_PROXY_WAIT_URL || 'http://127.0.0.1:15021/healthz/ready';
const timeoutMs = Number(process.env.TRELLIS_PROXY_WAIT_TIMEOUT || '60') * 1000;
const deadline = Date.now() + timeoutMs;

function probe() {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

(async () => {
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  process.stderr.write(`trellis-proxy-wait: ${url} not ready after ${timeoutMs / 1000} s\n`);
  process.exitCode = 1;
})();
