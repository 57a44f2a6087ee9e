#!/usr/bin/env node
// Self-test of tools/kube-env: start the env, then over plain HTTPS (token + CA) create a namespace, a CRD
// (apiextensions v1, structural schema: pruning, defaulting, validation) and custom objects, list with
// resourceVersion, watch from it, check the controller-manager's default ServiceAccount; stop; print timings.
// Usage: node tools/kube-env/selftest.mjs   (exit code 0 = all checks passed)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { binDir, ensureBinaries, kubeRequest, startKubeEnv } from './kube-env.mjs';

const T = () => Number(process.hrtime.bigint() / 1000000n);
const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  process.stdout.write(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}\n`);
}

/** Watch for up to ms; calls onEvent(evt) per line (return true to stop); resolves the collected events. */
function watch(env, urlPath, ms, onEvent) {
  return new Promise((resolve, reject) => {
    const events = [];
    const finish = () => { req.destroy(); resolve(events); };
    const req = https.get(new URL(urlPath, env.server), { ca: env.caPem, agent: false, headers: { Authorization: `Bearer ${env.token}` } }, (res) => {
      if (res.statusCode !== 200) { res.resume(); reject(new Error(`watch HTTP ${res.statusCode}`)); return; }
      let buf = '';
      res.on('data', (c) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i); buf = buf.slice(i + 1);
          if (!line.trim()) continue;
          const evt = JSON.parse(line);
          events.push(evt);
          if (onEvent?.(evt)) finish();
        }
      });
      res.on('end', () => resolve(events));
      res.on('error', () => resolve(events));
    });
    req.on('error', (e) => (e.code === 'ECONNRESET' ? resolve(events) : reject(e)));
    setTimeout(finish, ms).unref();
  });
}

const tAll = T();
const stampBefore = (() => { try { return fs.readFileSync(path.join(binDir(), '.stamp'), 'utf8'); } catch { return ''; } })();
const tb = T();
ensureBinaries();
const buildMs = T() - tb;
const cached = stampBefore !== '' && buildMs < 2000;

const ts = T();
const env = await startKubeEnv({ withControllerManager: true, build: false });
const readyMs = T() - ts;
process.stdout.write(`[kube-env] env up at ${env.server} (dir ${env.dir})\n`);

const timings = {};
const step = async (name, fn) => { const t = T(); try { return await fn(); } finally { timings[name] = T() - t; } };
try {
  const ns = `selftest-${Date.now().toString(36)}`;
  const v = await kubeRequest(env, 'GET', '/version');
  check('GET /version', v.status === 200 && v.body.gitVersion === 'v1.20.2', v.body.gitVersion);

  const r1 = await step('namespace', () => kubeRequest(env, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  check('create namespace', r1.status === 201, ns);

  const group = 'selftest.trellis.dev';
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `widgets.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
      versions: [{
        name: 'v1', served: true, storage: true,
        subresources: { status: {} },
        schema: { openAPIV3Schema: {
          type: 'object',
          properties: {
            spec: { type: 'object', required: ['color'], properties: {
              color: { type: 'string', enum: ['red', 'green', 'blue'] },
              size: { type: 'integer', minimum: 1, default: 3 },
            } },
            status: { type: 'object', properties: { ready: { type: 'boolean' } } },
          },
        } },
      }],
    },
  };
  await step('crd established', async () => {
    const r = await kubeRequest(env, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    check('create CRD (v1, structural schema)', r.status === 201, r.status === 201 ? crd.metadata.name : JSON.stringify(r.body).slice(0, 200));
    for (let i = 0; i < 200; i++) {
      const g = await kubeRequest(env, 'GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      if ((g.body.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True')) {
        // discovery of the new group can lag Established by a moment
        const d = await kubeRequest(env, 'GET', `/apis/${group}/v1`);
        if (d.status === 200) return check('CRD Established + discoverable', true);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    check('CRD Established + discoverable', false);
  });

  const base = `/apis/${group}/v1/namespaces/${ns}/widgets`;
  const c1 = await step('create object', () => kubeRequest(env, 'POST', base, { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { color: 'red', bogus: 'x' } }));
  check('create custom object', c1.status === 201, `rv=${c1.body.metadata?.resourceVersion}`);
  check('schema defaulting (spec.size=3)', c1.body.spec?.size === 3);
  check('schema pruning (spec.bogus dropped)', c1.body.spec && !('bogus' in c1.body.spec));
  const bad = await kubeRequest(env, 'POST', base, { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'bad' }, spec: { color: 'purple' } });
  check('server-side validation (enum) → 422', bad.status === 422);

  const list = await step('list', () => kubeRequest(env, 'GET', base));
  const rv = list.body.metadata?.resourceVersion;
  check('list with resourceVersion', list.status === 200 && list.body.items?.length === 1 && !!rv, `rv=${rv}, ${list.body.items?.length} item(s)`);

  const wanted = new Set(['ADDED w2', 'MODIFIED w1']);
  const got = [];
  const evts = await step('watch', async () => {
    const w = watch(env, `${base}?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=10`, 5000, (e) => {
      got.push(`${e.type} ${e.object?.metadata?.name ?? ''}`.trim());
      return [...wanted].every((x) => got.includes(x));
    });
    await new Promise((r) => setTimeout(r, 100));
    await kubeRequest(env, 'POST', base, { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'w2' }, spec: { color: 'blue', size: 7 } });
    await kubeRequest(env, 'PATCH', `${base}/w1`, '{"spec":{"size":5}}', { headers: { 'Content-Type': 'application/merge-patch+json' } });
    await w;
    return got;
  });
  check('watch from list resourceVersion sees ADDED w2 + MODIFIED w1', [...wanted].every((x) => evts.includes(x)), evts.join(', '));

  const sa = await step('default SA in new namespace', async () => {
    for (let i = 0; i < 100; i++) {
      const r = await kubeRequest(env, 'GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`);
      if (r.status === 200) return r;
      await new Promise((res) => setTimeout(res, 50));
    }
    return { status: 404 };
  });
  check('kube-controller-manager created ServiceAccount default in the new namespace', sa.status === 200);

  if (env.kubectl) {
    const out = execFileSync(env.kubectl, ['--kubeconfig', env.kubeconfigPath, 'get', 'widgets', '-n', ns, '-o', 'name'], { encoding: 'utf8' });
    check('kubectl (v1.20.2) with the generated kubeconfig', out.trim().split('\n').sort().join(' ') === 'widget.selftest.trellis.dev/w1 widget.selftest.trellis.dev/w2', out.trim().replace(/\n/g, ' '));
  }
} catch (e) {
  check('unexpected error', false, e.stack);
} finally {
  const tStop = T();
  const pids = Object.values(env.pids);
  await env.stop();
  const stopMs = T() - tStop;
  const alive = pids.filter((p) => { try { process.kill(p, 0); return true; } catch { return false; } });
  check('stop(): processes gone, dir removed', alive.length === 0 && !fs.existsSync(env.dir), `stopped in ${secs(stopMs)}`);
  process.stdout.write(
    `\n[kube-env] build: ${cached ? `cached (${buildMs} ms)` : `built in ${secs(buildMs)}`}; env ready in ${secs(readyMs)}` +
      ` (${Object.entries(env.phases).map(([k, ms]) => `${k} @${ms} ms`).join(", ")}); stop ${secs(stopMs)}; total ${secs(T() - tAll)}\n` +
      `[kube-env] steps: ${Object.entries(timings).map(([k, ms]) => `${k} ${ms} ms`).join(', ')}\n` +
      `${passed} passed, ${failed} failed\n`,
  );
  process.exitCode = failed ? 1 : 0;
}
