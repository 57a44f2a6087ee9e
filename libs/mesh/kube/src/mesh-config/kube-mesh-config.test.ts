// KubeMeshConfig against the real apiserver (tools/kube-env): the `istio` ConfigMap's `mesh` key, watched.
import { silentLogger } from '@trellis/shared';
import { adminClient, createNamespace, eventually } from '../testing/kube-test-env';
import { KubeMeshConfig } from './kube-mesh-config';

const NS = 'mesh-config-test';
const client = adminClient();
const path = `/api/v1/namespaces/${NS}/configmaps`;
let source: KubeMeshConfig;

beforeAll(async () => {
  await createNamespace(client, NS);
  source = KubeMeshConfig.start({ client, namespace: NS, logger: silentLogger() });
  await source.ready();
});

afterAll(async () => {
  await source?.stop();
  await client.request('DELETE', `/api/v1/namespaces/${NS}`).catch(() => undefined);
});

it('no ConfigMap = defaults; created, changed, broken (last good kept), deleted (defaults again)', async () => {
  let changes = 0;
  source.onChange(() => changes++);
  expect(source.meshConfig()).toMatchObject({ accessLogFile: '', rootNamespace: 'istio-system' });

  await client.request('POST', path, { body: { metadata: { name: 'istio' }, data: { mesh: 'accessLogFile: /dev/stdout\n' } } });
  await client.request('POST', path, { body: { metadata: { name: 'istio-other' }, data: { mesh: 'accessLogFile: /other\n' } } });
  await eventually('accessLogFile from the ConfigMap', () => (source.meshConfig().accessLogFile === '/dev/stdout' ? true : undefined));

  await client.request('PATCH', `${path}/istio`, { body: { data: { mesh: 'accessLogFile: [broken\n' } }, contentType: 'application/merge-patch+json' });
  await client.request('PATCH', `${path}/istio`, { body: { data: { mesh: 'accessLogFile: /dev/stderr\nextensionProviders: [{name: ext, envoyExtAuthzHttp: {service: a.b.svc.cluster.local, port: 8000}}]\n' } }, contentType: 'application/merge-patch+json' });
  await eventually('the patched MeshConfig', () => (source.meshConfig().accessLogFile === '/dev/stderr' ? true : undefined));
  expect(source.meshConfig().extensionProviders).toEqual([{ name: 'ext', envoyExtAuthzHttp: { service: 'a.b.svc.cluster.local', port: 8000 } }]);

  await client.request('DELETE', `${path}/istio`);
  await eventually('defaults after delete', () => (source.meshConfig().accessLogFile === '' ? true : undefined));
  expect(changes).toBe(3);
});
