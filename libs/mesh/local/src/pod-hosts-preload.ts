/**
 * The pod's resolver, as the source of a CommonJS preload (`node --require hosts-preload.cjs`): the
 * local runner's stand-in for a pod's `/etc/hosts`. It reads the hosts file named by
 * `TRELLIS_HOSTS_FILE` once and answers `dns.lookup` (callback and promise forms, which `net`,
 * `http` and client libraries use) from it; every other name goes to the system resolver. It
 * changes nothing else: the app connects where the name points, as it would in a pod.
 * (A string, not a module of this library, because it runs inside the Bookinfo app's process.)
 */
export const POD_HOSTS_PRELOAD = `'use strict';
const dns = require('node:dns');
const fs = require('node:fs');
const table = new Map();
const file = process.env.TRELLIS_HOSTS_FILE;
if (file) {
  for (const line of fs.readFileSync(file, 'utf8').split('\\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\\s+/);
    if (!address) continue;
    for (const name of names) if (!table.has(name.toLowerCase())) table.set(name.toLowerCase(), address);
  }
}
const familyOf = (address) => (address.includes(':') ? 6 : 4);
function answer(hostname, options) {
  const address = typeof hostname === 'string' ? table.get(hostname.toLowerCase().replace(/\\.$/, '')) : undefined;
  if (address === undefined) return undefined;
  const family = familyOf(address);
  const wanted = typeof options === 'number' ? options : (options && options.family) || 0;
  if (wanted !== 0 && wanted !== family && wanted !== 'IPv' + family) return undefined;
  return options && typeof options === 'object' && options.all ? [{ address, family }] : [address, family];
}
const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  const found = answer(hostname, typeof options === 'function' ? undefined : options);
  if (found === undefined) return lookup.apply(this, arguments);
  if (typeof found[0] === 'object') process.nextTick(cb, null, found);
  else process.nextTick(cb, null, found[0], found[1]);
};
const promiseLookup = dns.promises.lookup;
dns.promises.lookup = function (hostname, options) {
  const found = answer(hostname, options);
  if (found === undefined) return promiseLookup.apply(this, arguments);
  return Promise.resolve(typeof found[0] === 'object' ? found : { address: found[0], family: found[1] });
};
`;
