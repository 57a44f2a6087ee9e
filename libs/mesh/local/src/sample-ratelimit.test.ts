import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isTrellisError } from '@trellis/shared';
import { planLocalMesh } from './plan';
import { readStackManifests } from './sample-manifests';
import { isRateLimitPod, isRedisPod, rateLimitSpec, redisSpec } from './sample-ratelimit';
import { gatewayHostsText } from './proxy-hosts';

// samples/ratelimit (Istio's rate-limit-service.yaml + the task's ConfigMap) as `--with ratelimit` plans and starts it.
const ROOT = path.resolve(__dirname, '../../../..');
const FILES = ['ratelimit/ratelimit-config.yaml', 'ratelimit/rate-limit-service.yaml'].map((f) => ({ file: path.join(ROOT, 'samples', f), namespace: 'default', sidecar: true }));
const OPTIONS = { addressBlock: '127.0.77', gatewayHost: '127.0.0.1', gatewayPort: 8080, gatewayHttpsPort: 8443, namespace: 'default', domainSuffix: 'cluster.local' };

describe('samples/ratelimit in local mode', () => {
  let state: string;
  beforeEach(() => (state = mkdtempSync(path.join(tmpdir(), 'trellis-rl-local-'))));
  afterEach(() => rmSync(state, { recursive: true, force: true }));

  it('plans redis and ratelimit with sidecars; Services redis 6379, ratelimit 8080/8081/6070', () => {
    const plan = planLocalMesh(readStackManifests([], FILES), OPTIONS);
    expect(plan.pods.map((p) => [p.deployment, p.app, p.serviceAccount, isRedisPod(p), isRateLimitPod(p)])).toEqual([['redis', 'redis', 'default', true, false], ['ratelimit', 'ratelimit', 'default', false, true]]);
    expect(plan.services.map((s) => `${s.name}:${s.ports.map((p) => `${p.port}/${p.protocol}`).join(',')}`)).toEqual(['redis:6379/TCP', 'ratelimit:8080/HTTP,8081/GRPC,6070/HTTP']);
  });

  it('ratelimit: the ConfigMap written where RUNTIME_ROOT/ratelimit/config points, listeners on the app endpoints, the pod resolver', () => {
    const pod = planLocalMesh(readStackManifests([], FILES), OPTIONS).pods.find(isRateLimitPod)!;
    const { spec, readyUrl } = rateLimitSpec(pod, state, 'dist', FILES);
    const root = spec.env['RUNTIME_ROOT'] ?? '';
    expect(readFileSync(path.join(root, 'ratelimit/config/config.yaml'), 'utf8')).toMatch(/domain: productpage-ratelimit/);
    expect(spec.env).toMatchObject({ REDIS_URL: 'redis:6379', RUNTIME_SUBDIRECTORY: 'ratelimit', RUNTIME_IGNOREDOTFILES: 'true', HOST: pod.ip, GRPC_HOST: pod.ip, PORT: pod.appEndpoints['8080']?.split(':')[1] });
    expect(spec.nodeArgs).toEqual(['--require', path.join(state, 'pods', 'hosts-preload.cjs')]);
    expect(readyUrl).toBe(`http://${pod.appEndpoints['8080']}/healthcheck`);
  });

  it('redis: redis-server on the app endpoint without persistence; a missing ConfigMap is named', () => {
    const plan = planLocalMesh(readStackManifests([], FILES), OPTIONS);
    const redis = plan.pods.find(isRedisPod)!;
    const { spec, ready } = redisSpec(redis, state, '/usr/bin/redis-server');
    expect(spec.args.slice(0, 8)).toEqual(['--bind', redis.ip, '--port', String(ready.port), '--save', '', '--appendonly', 'no']);
    const rl = plan.pods.find(isRateLimitPod)!;
    try {
      rateLimitSpec(rl, state, 'dist', FILES.slice(1));
      throw new Error('expected CONFIGMAP_MISSING');
    } catch (err) {
      expect(isTrellisError(err) && `${err.code}: ${err.message}`).toBe('CONFIGMAP_MISSING: the ratelimit pod mounts ConfigMap ratelimit-config, which no applied manifest defines');
    }
  });

  it("the gateway resolves a Service's names to a pod it selects (the EnvoyFilter's STRICT_DNS ratelimit.default.svc.cluster.local)", () => {
    const plan = planLocalMesh(readStackManifests([], FILES), OPTIONS);
    const rl = plan.pods.find(isRateLimitPod)!;
    expect(gatewayHostsText(plan).split('\n')).toContain(`${rl.ip}\tratelimit.default ratelimit.default.svc ratelimit.default.svc.cluster.local`);
  });
});
