// cluster-dns: the cluster's DNS server at 10.96.0.10 (CoreDNS is not packaged in Debian).
// Watches Services and Endpoints through the API server and answers, for the cluster domain:
//   A    <svc>.<ns>.svc.<domain>             the ClusterIP (headless: every ready endpoint IP)
//   A    <host>.<svc>.<ns>.svc.<domain>      endpoints with a hostname (StatefulSet pods)
//   SRV  _<port>._<proto>.<svc>.<ns>.svc.<domain>
// Names it knows without a record of the asked type get NOERROR with no answers; everything else
// NXDOMAIN: there is no upstream resolver, on purpose (nothing leaves the machine).
// Plain Node.js, no dependencies: it runs from a ConfigMap in the base image.
'use strict';
const fs = require('node:fs');
const https = require('node:https');
const dgram = require('node:dgram');
const net = require('node:net');

const DOMAIN = (process.env.CLUSTER_DOMAIN || 'cluster.local').toLowerCase();
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const TYPE = { A: 1, SRV: 33, ANY: 255 };
const TTL = 5;

const api = {
  host: process.env.KUBERNETES_SERVICE_HOST,
  port: process.env.KUBERNETES_SERVICE_PORT,
  ca: fs.readFileSync(`${SA_DIR}/ca.crt`),
  headers: { Authorization: `Bearer ${fs.readFileSync(`${SA_DIR}/token`, 'utf8').trim()}` },
};
const log = (msg, fields) => process.stdout.write(JSON.stringify({ time: Date.now(), msg, ...fields }) + '\n');

const objects = { services: new Map(), endpoints: new Map() };
let zone = { a: new Map(), srv: new Map() };

function buildZone() {
  const a = new Map();
  const srv = new Map();
  const add = (map, name, value) => (map.get(name) || map.set(name, []).get(name)).push(value);
  for (const svc of objects.services.values()) {
    if (svc.spec.type === 'ExternalName') continue;
    const { name, namespace } = svc.metadata;
    const fqdn = `${name}.${namespace}.svc.${DOMAIN}`.toLowerCase();
    const headless = svc.spec.clusterIP === 'None';
    if (!a.has(fqdn)) a.set(fqdn, []);
    if (!headless && svc.spec.clusterIP) add(a, fqdn, svc.spec.clusterIP);
    const ep = objects.endpoints.get(`${namespace}/${name}`);
    for (const subset of (ep && ep.subsets) || []) {
      for (const addr of subset.addresses || []) {
        if (headless) add(a, fqdn, addr.ip);
        if (addr.hostname) add(a, `${addr.hostname.toLowerCase()}.${fqdn}`, addr.ip);
      }
    }
    for (const port of svc.spec.ports || []) {
      if (port.name) add(srv, `_${port.name}._${(port.protocol || 'TCP').toLowerCase()}.${fqdn}`, { port: port.port, target: fqdn });
    }
  }
  zone = { a, srv };
}

// List, then watch from the list's resourceVersion; start over on any error or end of the watch.
function listWatch(kind, path) {
  const again = (why) => {
    log('watch restarting', { kind, why: String(why) });
    setTimeout(() => listWatch(kind, path), 1000);
  };
  https.get({ ...api, path }, (res) => {
    let body = '';
    res.setEncoding('utf8').on('data', (c) => (body += c)).on('end', () => {
      if (res.statusCode !== 200) return again(`list status ${res.statusCode}`);
      const list = JSON.parse(body);
      const store = objects[kind];
      store.clear();
      for (const o of list.items) store.set(`${o.metadata.namespace}/${o.metadata.name}`, o);
      buildZone();
      watch(kind, `${path}?watch=1&resourceVersion=${list.metadata.resourceVersion}`, again);
    });
  }).on('error', again);
}

function watch(kind, path, again) {
  https.get({ ...api, path }, (res) => {
    let buf = '';
    res.setEncoding('utf8').on('data', (chunk) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) apply(kind, JSON.parse(line), res);
      }
    });
    res.on('end', () => again('watch ended')).on('error', again);
  }).on('error', again);
}

function apply(kind, event, res) {
  if (event.type === 'ERROR') return res.destroy();
  if (event.type === 'BOOKMARK') return;
  const key = `${event.object.metadata.namespace}/${event.object.metadata.name}`;
  if (event.type === 'DELETED') objects[kind].delete(key);
  else objects[kind].set(key, event.object);
  buildZone();
}

// ── DNS wire format (RFC 1035) ──────────────────────────────────────────────────────────────────
function encodeName(name) {
  const labels = name.split('.').filter(Boolean).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  return Buffer.concat([...labels, Buffer.from([0])]);
}

function record(type, rdata) {
  const head = Buffer.alloc(12);
  head.writeUInt16BE(0xc00c, 0); // name: pointer to the question's name
  head.writeUInt16BE(type, 2);
  head.writeUInt16BE(1, 4); // class IN
  head.writeUInt32BE(TTL, 6);
  head.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([head, rdata]);
}

function answer(query) {
  if (query.length < 12 || query.readUInt16BE(4) < 1) return null;
  const labels = [];
  let off = 12;
  while (off < query.length && query[off] !== 0) {
    if (query[off] & 0xc0) return null; // no compression in questions
    labels.push(query.subarray(off + 1, off + 1 + query[off]).toString('latin1'));
    off += query[off] + 1;
  }
  if (off + 5 > query.length) return null;
  const qtype = query.readUInt16BE(off + 1);
  const name = labels.join('.').toLowerCase();
  const records = [];
  if (qtype === TYPE.A || qtype === TYPE.ANY) {
    for (const ip of zone.a.get(name) || []) records.push(record(TYPE.A, Buffer.from(ip.split('.').map(Number))));
  }
  if (qtype === TYPE.SRV || qtype === TYPE.ANY) {
    for (const s of zone.srv.get(name) || []) {
      const fixed = Buffer.alloc(6);
      fixed.writeUInt16BE(0, 0); // priority
      fixed.writeUInt16BE(100, 2); // weight
      fixed.writeUInt16BE(s.port, 4);
      records.push(record(TYPE.SRV, Buffer.concat([fixed, encodeName(s.target)])));
    }
  }
  const known = zone.a.has(name) || zone.srv.has(name);
  const head = Buffer.from(query.subarray(0, 12));
  head[2] = 0x84 | (query[2] & 0x79); // QR + AA, keep opcode and RD
  head[3] = known ? 0 : 3; // NOERROR or NXDOMAIN
  head.writeUInt16BE(1, 4);
  head.writeUInt16BE(records.length, 6);
  head.writeUInt32BE(0, 8);
  return Buffer.concat([head, query.subarray(12, off + 5), ...records]);
}

function serve() {
  const udp = dgram.createSocket('udp4');
  udp.on('message', (msg, peer) => {
    const reply = answer(msg);
    if (reply) udp.send(reply, peer.port, peer.address);
  });
  udp.bind(53, () => log('cluster-dns listening', { proto: 'udp', port: 53, domain: DOMAIN }));
  net.createServer((conn) => {
    let buf = Buffer.alloc(0);
    conn.on('error', () => conn.destroy());
    conn.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const reply = answer(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        buf = buf.subarray(2 + buf.readUInt16BE(0));
        if (reply) conn.write(Buffer.concat([Buffer.from([reply.length >> 8, reply.length & 0xff]), reply]));
      }
    });
  }).listen(53, () => log('cluster-dns listening', { proto: 'tcp', port: 53 }));
}

listWatch('services', '/api/v1/services');
listWatch('endpoints', '/api/v1/endpoints');
serve();
process.on('SIGTERM', () => process.exit(0));
