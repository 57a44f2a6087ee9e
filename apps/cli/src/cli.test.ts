import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeControlPlane, runCli, type FakeControlPlane } from './testing/fake-control-plane';

const VS_V1 = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: {host: reviews, subset: v1}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: bookinfo-gateway
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 8080, name: http, protocol: HTTP}, hosts: ["*"]}]
`;
const VS_V2 = VS_V1.replace('subset: v1', 'subset: v2');
const BOOKINFO = `apiVersion: v1
kind: Service
metadata:
  name: details
spec:
  ports: [{port: 9080, name: http}]
`;

describe('trellis CLI against an HTTP control plane', () => {
  let cp: FakeControlPlane;
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-cli-it-'));
  writeFileSync(path.join(dir, 'vs-v1.yaml'), VS_V1);
  writeFileSync(path.join(dir, 'vs-v2.yaml'), VS_V2);
  writeFileSync(path.join(dir, 'bookinfo.yaml'), BOOKINFO);
  writeFileSync(path.join(dir, 'bad.yaml'), 'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: broken}\nspec: {}\n');
  const cli = (...argv: string[]) => runCli(['--addr', cp.url, ...argv], { cwd: dir });

  beforeEach(async () => {
    cp = await startFakeControlPlane();
  });
  afterEach(() => cp.close());

  it('apply prints created, unchanged and configured per object', async () => {
    expect(await cli('apply', '-f', 'vs-v1.yaml')).toEqual({
      code: 0,
      stdout: 'virtualservice.networking.istio.io/reviews created\ngateway.networking.istio.io/bookinfo-gateway created\n',
      stderr: '',
    });
    expect((await cli('apply', '-f', 'vs-v1.yaml')).stdout).toBe(
      'virtualservice.networking.istio.io/reviews unchanged\ngateway.networking.istio.io/bookinfo-gateway unchanged\n',
    );
    expect((await cli('apply', '-f', 'vs-v2.yaml')).stdout).toContain('virtualservice.networking.istio.io/reviews configured');
  });

  it('apply reads stdin with -f -', async () => {
    const res = await runCli(['--addr', cp.url, 'apply', '-f', '-'], { cwd: dir, stdin: VS_V1 });
    expect(res.stdout).toContain('virtualservice.networking.istio.io/reviews created');
  });

  it('apply prints every validation error and exits 1', async () => {
    const res = await cli('apply', '-f', 'bad.yaml');
    expect(res).toEqual({ code: 1, stdout: '', stderr: 'Error: VirtualService default/broken: spec.hosts: at least one host is required\n' });
  });

  it('apply rejects non-Istio kinds with kubectl wording and applies nothing', async () => {
    const res = await cli('apply', '-f', 'vs-v1.yaml', '-f', 'bookinfo.yaml');
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'error: resource mapping not found for name: "details" namespace: "" from "bookinfo.yaml": no matches for kind "Service" in version "v1"\n',
    );
    expect(cp.store.size).toBe(0);
  });

  it('get prints kubectl tables, yaml lists, names and NotFound', async () => {
    await cli('apply', '-f', 'vs-v1.yaml');
    expect((await cli('get', 'vs')).stdout).toBe('NAME      GATEWAYS   HOSTS         AGE\nreviews              ["reviews"]   5s\n');
    expect((await cli('get', 'gateways', '-A')).stdout).toBe('NAMESPACE   NAME               AGE\ndefault     bookinfo-gateway   5s\n');
    expect((await cli('get', 'dr')).stdout).toBe('No resources found in default namespace.\n');
    const yaml = (await cli('get', 'virtualservices', '-o', 'yaml')).stdout;
    expect(yaml).toMatch(/^apiVersion: v1\nitems:\n- apiVersion: networking.istio.io\/v1\n {2}kind: VirtualService\n/);
    expect(yaml).toContain('kind: List\nmetadata:\n  resourceVersion: ""\n');
    expect((await cli('get', 'vs', 'reviews', '-o', 'yaml')).stdout).toMatch(/^apiVersion: networking.istio.io\/v1\nkind: VirtualService\n/);
    expect((await cli('get', 'vs', '-o', 'name')).stdout).toBe('virtualservice.networking.istio.io/reviews\n');
    expect(await cli('get', 'vs', 'nope')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error from server (NotFound): virtualservices.networking.istio.io "nope" not found\n',
    });
    expect((await cli('get', 'pods')).stderr).toBe('error: the server doesn\'t have a resource type "pods"\n');
  });

  it('delete by file and by name, with NotFound for missing objects', async () => {
    await cli('apply', '-f', 'vs-v1.yaml');
    expect(await cli('delete', 'gw', 'bookinfo-gateway')).toEqual({ code: 0, stdout: 'gateway.networking.istio.io "bookinfo-gateway" deleted\n', stderr: '' });
    const res = await cli('delete', '-f', 'vs-v1.yaml');
    expect(res.stdout).toBe('virtualservice.networking.istio.io "reviews" deleted\n');
    expect(res.stderr).toBe(
      'Error from server (NotFound): error when deleting "vs-v1.yaml": gateways.networking.istio.io "bookinfo-gateway" not found\n',
    );
    expect(res.code).toBe(1);
    expect((await cli('delete', 'vs', 'reviews')).stderr).toBe('Error from server (NotFound): virtualservices.networking.istio.io "reviews" not found\n');
  });

  it('analyze prints the ✔ line, or messages with exit code 79 on errors', async () => {
    expect(await cli('analyze')).toEqual({ code: 0, stdout: '✔ No validation issues found when analyzing namespace: default.\n', stderr: '' });
    cp.analysis.push({ level: 'Warning', code: 'IST0108', origin: 'VirtualService default/reviews', message: 'Unknown annotation' });
    expect((await cli('analyze', '-A')).code).toBe(0);
    cp.analysis.push({ level: 'Error', code: 'IST0101', origin: 'VirtualService default/reviews', message: 'Referenced host+subset in destinationrule not found: "reviews+v1"' });
    const res = await cli('analyze', '-f', 'vs-v1.yaml');
    expect(res.code).toBe(79);
    expect(res.stdout).toContain('Error [IST0101] (VirtualService default/reviews) Referenced host+subset in destinationrule not found: "reviews+v1"\n');
  });

  it('proxy-status prints the pre-2025 istioctl table', async () => {
    cp.syncz.push({
      id: 'sidecar~127.0.0.2~reviews-v1-abc.default~default.svc.cluster.local',
      proxy: { id: 'x', type: 'sidecar', ipAddress: '127.0.0.2', workloadName: 'reviews-v1-abc', namespace: 'default', labels: {}, interception: 'NONE' },
      connectedAt: new Date().toISOString(),
      types: { CDS: { status: 'SYNCED' }, LDS: { status: 'SYNCED' }, EDS: { status: 'STALE' } },
    });
    const res = await cli('ps');
    expect(res.stdout).toBe(
      [
        'NAME                       CLUSTER        CDS        LDS        EDS       RDS          ISTIOD                    VERSION',
        'reviews-v1-abc.default     Kubernetes     SYNCED     SYNCED     STALE     NOT SENT     trellis-control-plane     0.1.0-fake',
        '',
      ].join('\n'),
    );
  });

  it('proxy-config cluster prints istioctl columns and filters; -o json prints raw clusters', async () => {
    const dr = { filter_metadata: { istio: { config: '/apis/networking.istio.io/v1/namespaces/default/destination-rule/reviews' } } };
    cp.dumps['productpage-v1-x.default'] = {
      listeners: [],
      routes: [],
      endpoints: [],
      clusters: [
        { name: 'outbound|9080|v1|reviews.default.svc.cluster.local', type: 'EDS', metadata: dr },
        { name: 'BlackHoleCluster', type: 'STATIC' },
        { name: 'inbound|9080||', type: 'STATIC' },
      ],
    };
    const res = await cli('proxy-config', 'cluster', 'productpage-v1-x');
    expect(res.stdout).toBe(
      [
        'SERVICE FQDN                          PORT     SUBSET     DIRECTION     TYPE       DESTINATION RULE',
        '                                      9080     -          inbound       STATIC     ',
        'BlackHoleCluster                      -        -          -             STATIC     ',
        'reviews.default.svc.cluster.local     9080     v1         outbound      EDS        reviews.default',
        '',
      ].join('\n'),
    );
    const filtered = await cli('pc', 'clusters', 'productpage-v1-x.default', '--direction', 'outbound', '-o', 'json');
    expect(JSON.parse(filtered.stdout)).toEqual([expect.objectContaining({ name: 'outbound|9080|v1|reviews.default.svc.cluster.local' })]);
    expect((await cli('pc', 'cluster', 'nope')).code).toBe(1);
  });

  it('proxy-config listener/route/endpoint filters apply to -o json as to the tables', async () => {
    const listener = (port: number) => ({ name: `0.0.0.0_${port}`, address: { socket_address: { address: '0.0.0.0', port_value: port } } });
    cp.dumps['details-v1-x.default'] = {
      listeners: [listener(9080), listener(15001)],
      routes: [{ name: '9080', virtual_hosts: [] }, { name: '15010', virtual_hosts: [] }],
      endpoints: [{ cluster_name: 'a', endpoints: [] }, { cluster_name: 'b', endpoints: [] }],
      clusters: [],
    };
    const json = async (...args: string[]) => JSON.parse((await cli('pc', ...args, 'details-v1-x', '-o', 'json')).stdout) as { name?: string; cluster_name?: string }[];
    expect((await json('listeners', '--port', '15001')).map((l) => l.name)).toEqual(['0.0.0.0_15001']);
    expect((await json('routes', '--name', '9080')).map((r) => r.name)).toEqual(['9080']);
    expect((await json('endpoints', '--cluster', 'b')).map((e) => e.cluster_name)).toEqual(['b']);
    expect(await json('listeners')).toHaveLength(2);
  });

  it('x describe pod combines registry and config', async () => {
    await cli('apply', '-f', 'vs-v1.yaml');
    cp.services.push({ name: 'reviews', namespace: 'default', hostname: 'reviews.default.svc.cluster.local', ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' }], selector: { app: 'reviews' } });
    for (const v of ['v1', 'v2']) {
      cp.workloads.push({ name: `reviews-${v}-abc`, namespace: 'default', address: '127.0.0.2', labels: { app: 'reviews', version: v }, serviceAccount: 'r', sidecar: true, ready: true });
    }
    const v1 = await cli('x', 'describe', 'pod', 'reviews-v1-abc.default');
    expect(v1.stdout).toContain('Pod: reviews-v1-abc\n   Pod Revision: default\n   Pod Ports: 9080 (reviews), 15090 (istio-proxy)\n');
    expect(v1.stdout).toContain('VirtualService: reviews\n   WARNING: No destinations match pod subsets (checked 1 HTTP routes)\n      Warning: Route to subset v1 but NO DESTINATION RULE defining subsets!\n');
    const res = await cli('experimental', 'describe', 'pod', 'ghost');
    expect(res).toEqual({ code: 1, stdout: '', stderr: 'Error: pods "ghost" not found in namespace default\n' });
  });

  it('version prints client, control plane and data plane versions (the short form of istioctl)', async () => {
    expect((await cli('version', '--short')).stdout).toBe('client version: 0.1.0\ncontrol plane version: 0.1.0-fake\ndata plane version: none\n');
  });

  it('resolves the address from the state directory', async () => {
    const state = path.join(dir, 'state');
    mkdirSync(state, { recursive: true });
    writeFileSync(path.join(state, 'control-plane.json'), JSON.stringify({ address: cp.url }));
    const res = await runCli(['version', '--short'], { cwd: dir, env: { TRELLIS_STATE_DIR: 'state' } });
    expect(res.stdout).toContain('control plane version: 0.1.0-fake');
  });

  it('prints one line when the control plane is unreachable', async () => {
    await cp.close();
    const res = await runCli(['get', 'vs'], { cwd: dir, env: { TRELLIS_ADDR: cp.url } });
    expect(res).toEqual({
      code: 1,
      stdout: '',
      stderr: `Error: could not reach the Trellis control plane at ${cp.url} (connect ECONNREFUSED): start it with "npm start", or set --addr / TRELLIS_ADDR\n`,
    });
    cp = await startFakeControlPlane();
  });
});
