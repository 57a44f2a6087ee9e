import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findDeployDir, loadAllComponents, loadComponents, type DeployObject } from './deploy-manifests';

const repoDeploy = findDeployDir({}, __dirname);
const find = (objects: DeployObject[], kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
type Port = { name: string; port: number; targetPort?: number; nodePort?: number };
type PodSpec = { containers: Array<{ image: string; imagePullPolicy?: string; env?: Array<{ name: string; value?: string }> }> };
const podSpec = (o: DeployObject | undefined): PodSpec => (o?.['spec'] as { template: { spec: PodSpec } }).template.spec;
const ports = (o: DeployObject | undefined): Port[] => (o?.['spec'] as { ports: Port[] }).ports;

describe('deploy/ manifests', () => {
  it('are found from the sources and the bundle (../../../deploy of dist/apps/cli), or from TRELLIS_DEPLOY_DIR', () => {
    expect(path.relative(path.join(__dirname, '../../../..'), repoDeploy)).toBe('deploy');
    expect(findDeployDir({}, path.join(repoDeploy, '../dist/apps/cli'))).toBe(repoDeploy);
    expect(findDeployDir({ TRELLIS_DEPLOY_DIR: '/elsewhere/deploy' }, __dirname)).toBe('/elsewhere/deploy');
  });

  it('load as three components in kustomization order: CRDs, control plane, gateway', async () => {
    const components = await loadComponents(repoDeploy);
    expect(components.map((c) => c.name)).toEqual(['crds', 'control-plane', 'gateway']);
    const crds = components[0]?.manifests.map((m) => m.object.metadata.name);
    expect(crds).toEqual(expect.arrayContaining(['virtualservices.networking.istio.io', 'gateways.networking.istio.io', 'destinationrules.networking.istio.io']));
    expect(components[1]?.manifests[0]?.source).toBe(path.join('control-plane', 'rbac.yaml'));
  });

  it("add the demo profile's egress gateway from deploy/egress-gateway (outside the kustomization: Istio's default has none)", async () => {
    const components = await loadAllComponents(repoDeploy);
    expect(components.map((c) => c.name)).toEqual(['crds', 'control-plane', 'gateway', 'egress-gateway']);
    const objects = components[3]?.manifests.map((m) => m.object) ?? [];
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Service/istio-egressgateway', 'Deployment/istio-egressgateway', 'ServiceAccount/istio-egressgateway-service-account']);
    const egress = find(objects, 'Service', 'istio-egressgateway');
    expect((egress?.['spec'] as { type: string; selector: Record<string, string> })).toMatchObject({ type: 'ClusterIP', selector: { istio: 'egressgateway' } });
    expect(ports(egress).map((p) => [p.name, p.port, p.targetPort])).toEqual([['http2', 80, 8080], ['https', 443, 8443]]);
    const env = podSpec(find(objects, 'Deployment', 'istio-egressgateway')).containers[0]?.env ?? [];
    expect(env.find((e) => e.name === 'TRELLIS_POD_LABELS')?.value).toBe('{"app":"istio-egressgateway","istio":"egressgateway"}');
  });

  it('keep the names users type (istiod, istio-ingressgateway) and the ports Istio documents', async () => {
    const objects = (await loadComponents(repoDeploy)).flatMap((c) => c.manifests.map((m) => m.object));
    expect(ports(find(objects, 'Service', 'istiod')).map((p) => [p.port, p.targetPort])).toEqual([[15010, 15010], [15012, 15012], [15014, 15014], [443, 15017]]);
    const gateway = find(objects, 'Service', 'istio-ingressgateway');
    expect((gateway?.['spec'] as { type: string }).type).toBe('LoadBalancer');
    expect(ports(gateway)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'http2', port: 80, targetPort: 8080, nodePort: 30080 }),
        expect.objectContaining({ name: 'https', port: 443, targetPort: 8443 }),
        expect.objectContaining({ name: 'status-port', port: 15021 }),
        expect.objectContaining({ name: 'tcp', port: 31400, targetPort: 31400 }),
        expect.objectContaining({ name: 'tls', port: 15443, targetPort: 15443 }),
      ]),
    );
    expect(gateway?.metadata['labels']).toEqual(expect.objectContaining({ istio: 'ingressgateway' }));
    const env = podSpec(find(objects, 'Deployment', 'istiod')).containers[0]?.env ?? [];
    expect(env).toEqual(expect.arrayContaining([{ name: 'TRELLIS_REGISTRY', value: 'kube' }, { name: 'TRELLIS_PROXY_IMAGE', value: 'trellis/proxy:dev' }]));
  });

  it('ship no MutatingWebhookConfiguration (the control plane creates it) and pull images IfNotPresent', async () => {
    const objects = (await loadComponents(repoDeploy)).flatMap((c) => c.manifests.map((m) => m.object));
    expect(objects.filter((o) => o.kind === 'MutatingWebhookConfiguration')).toEqual([]);
    const containers = objects.filter((o) => o.kind === 'Deployment').flatMap((o) => podSpec(o).containers);
    expect(containers.map((c) => c.imagePullPolicy)).toEqual(containers.map(() => 'IfNotPresent'));
    expect(containers.map((c) => c.image).sort()).toEqual(['trellis/control-plane:dev', 'trellis/proxy:dev']);
  });
});

describe('loadComponents', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-deploy-'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };

  it('follows resources and bases into nested directories and skips empty documents', async () => {
    write('ok/kustomization.yaml', 'resources: [a.yaml]\nbases: [nested]\n');
    write('ok/a.yaml', '# comment only\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n');
    write('ok/nested/kustomization.yml', 'resources: [b.yaml]\n');
    write('ok/nested/b.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: b}\n');
    const [a, nested] = await loadComponents(path.join(dir, 'ok'));
    expect(a?.manifests.map((m) => [m.source, m.object.metadata.name])).toEqual([['a.yaml', 'a']]);
    expect(nested?.manifests.map((m) => [m.source, m.object.metadata.name])).toEqual([[path.join('nested', 'b.yaml'), 'b']]);
  });

  it('refuses kustomize features it would silently ignore, and objects without a kind or name', async () => {
    write('patched/kustomization.yaml', 'resources: [a.yaml]\nnamespace: other\n');
    await expect(loadComponents(path.join(dir, 'patched'))).rejects.toThrow(/reads only resources and bases, not namespace/);
    write('bad/kustomization.yaml', 'resources: [a.yaml]\n');
    write('bad/a.yaml', 'apiVersion: v1\nmetadata: {name: x}\n');
    await expect(loadComponents(path.join(dir, 'bad'))).rejects.toThrow('error parsing a.yaml: every object needs apiVersion, kind and metadata.name');
    await expect(loadComponents(path.join(dir, 'missing'))).rejects.toThrow(/no kustomization file/);
  });
});
