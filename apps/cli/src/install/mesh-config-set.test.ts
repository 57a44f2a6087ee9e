import { parse } from 'yaml';
import { runCli } from '../testing/fake-control-plane';
import { findDeployDir, loadComponents, type DeployObject } from './deploy-manifests';
import { parseMeshConfigSet, withMeshConfigSets } from './mesh-config-set';

describe('--set meshConfig.<path>=<value>', () => {
  it('parses paths (dots, [index]) and YAML scalar values', () => {
    expect(parseMeshConfigSet('meshConfig.accessLogFile=/dev/stdout')).toEqual({ path: ['accessLogFile'], value: '/dev/stdout' });
    expect(parseMeshConfigSet('meshConfig.enableTracing=false')).toEqual({ path: ['enableTracing'], value: false });
    expect(parseMeshConfigSet('meshConfig.defaultConfig.tracing.sampling=100')).toEqual({ path: ['defaultConfig', 'tracing', 'sampling'], value: 100 });
    expect(parseMeshConfigSet('meshConfig.extensionProviders[0].name=ext-authz')).toEqual({ path: ['extensionProviders', 0, 'name'], value: 'ext-authz' });
    expect(parseMeshConfigSet('meshConfig.accessLogFile=')).toEqual({ path: ['accessLogFile'], value: '' });
    expect(() => parseMeshConfigSet('values.global.x=1')).toThrow(/expected meshConfig.<field>=<value>/);
    expect(() => parseMeshConfigSet('meshConfig.accessLogFile')).toThrow(/expected meshConfig/);
    expect(() => parseMeshConfigSet('meshConfig.a..b=1')).toThrow(/invalid path segment ""/);
  });

  it("writes into deploy/'s istio ConfigMap, keeping its other fields; nothing else changes", async () => {
    const components = await loadComponents(findDeployDir({}, __dirname));
    const sets = ['meshConfig.accessLogFile=/dev/stdout', 'meshConfig.extensionProviders[0].name=ext', 'meshConfig.extensionProviders[0].envoyExtAuthzHttp.port=8000'].map(parseMeshConfigSet);
    const out = withMeshConfigSets(components, sets);
    const objects = (cs: typeof components): DeployObject[] => cs.flatMap((c) => c.manifests.map((m) => m.object));
    const cm = objects(out).find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'istio');
    expect(parse((cm?.['data'] as { mesh: string }).mesh)).toEqual({
      rootNamespace: 'istio-system',
      trustDomain: 'cluster.local',
      accessLogFile: '/dev/stdout',
      extensionProviders: [{ name: 'ext', envoyExtAuthzHttp: { port: 8000 } }],
    });
    expect(objects(out).filter((o) => o !== cm)).toEqual(objects(components).filter((o) => !(o.kind === 'ConfigMap' && o.metadata.name === 'istio')));
    expect(withMeshConfigSets(components, [])).toEqual(components);
  });
});

describe('trellis install --set', () => {
  it('rejects anything but meshConfig.<path>=<value> before touching a cluster', async () => {
    const res = await runCli(['install', '-y', '--set', 'values.x=1'], { env: { KUBECONFIG: '/nonexistent/kubeconfig' } });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('expected meshConfig.<field>=<value>');
  });
});
