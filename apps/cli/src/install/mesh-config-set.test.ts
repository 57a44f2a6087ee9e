import { parse } from 'yaml';
import { findDeployDir, loadComponents, type DeployObject } from './deploy-manifests';
import { meshConfigSets, withMeshConfigSets } from './mesh-config-set';

describe('MeshConfig into the istio ConfigMap', () => {
  it('walks maps to their leaves; lists and scalars are set whole', () => {
    expect(meshConfigSets({ accessLogFile: '/dev/stdout', outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' }, extensionProviders: [{ name: 'x' }], defaultConfig: {} })).toEqual([
      { path: ['accessLogFile'], value: '/dev/stdout' },
      { path: ['outboundTrafficPolicy', 'mode'], value: 'REGISTRY_ONLY' },
      { path: ['extensionProviders'], value: [{ name: 'x' }] },
      { path: ['defaultConfig'], value: {} },
    ]);
  });

  it("writes into deploy/'s istio ConfigMap, keeping its other fields; nothing else changes", async () => {
    const components = await loadComponents(findDeployDir({}, __dirname));
    const sets = meshConfigSets({ accessLogFile: '/dev/stdout', extensionProviders: [{ name: 'ext', envoyExtAuthzHttp: { port: 8000 } }] });
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
