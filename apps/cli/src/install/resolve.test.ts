import { TrellisError } from '@trellis/shared';
import { resolveInstall, type OperatorFile } from './resolve';
import { parseSetFlag } from './set-flag';

const resolve = (sets: string[], files: OperatorFile[] = []) => resolveInstall({ files, sets: sets.map(parseSetFlag) });
const components = (sets: string[], files: OperatorFile[] = []) => {
  const r = resolve(sets, files);
  return { base: r.base, pilot: r.pilot, ingress: r.ingressGateway, egress: r.egressGateway };
};
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return err instanceof TrellisError ? `${err.code}: ${err.message}` : String(err);
  }
  return 'no error';
};

describe('install options (istioctl MergeInputs: profile < -f files < --set)', () => {
  it("gives Istio's profiles their components", () => {
    expect(components([])).toEqual({ base: true, pilot: true, ingress: true, egress: false });
    expect(components(['profile=demo'])).toEqual({ base: true, pilot: true, ingress: true, egress: true });
    expect(components(['profile=minimal'])).toEqual({ base: true, pilot: true, ingress: false, egress: false });
  });

  it("gives demo its helm profile's access log and trace sampling; meshConfig and values.meshConfig win over it", () => {
    expect(resolve([]).meshConfig).toEqual({});
    expect(resolve(['profile=demo']).meshConfig).toEqual({ accessLogFile: '/dev/stdout', defaultConfig: { tracing: { sampling: 100 } } });
    expect(resolve(['profile=demo', 'meshConfig.accessLogFile=', 'values.pilot.traceSampling=5']).meshConfig).toEqual({ accessLogFile: '', defaultConfig: { tracing: { sampling: 5 } } });
    expect(resolve(['values.meshConfig.accessLogFile=/a', 'meshConfig.accessLogFile=/b']).meshConfig).toEqual({ accessLogFile: '/b' });
    expect(resolve(['meshConfig.defaultConfig.tracing.sampling=1', 'values.pilot.traceSampling=50']).meshConfig).toEqual({ defaultConfig: { tracing: { sampling: 1 } } });
  });

  it('applies files in order, then --set in order', () => {
    const noGateways: OperatorFile = { source: 'a.yaml', spec: { profile: 'demo', components: { ingressGateways: [{ name: 'istio-ingressgateway', enabled: false }], egressGateways: [{ name: 'istio-egressgateway', enabled: false }] } } };
    const minimal: OperatorFile = { source: 'b.yaml', spec: { profile: 'minimal' } };
    expect(components([], [noGateways])).toEqual({ base: true, pilot: true, ingress: false, egress: false });
    expect(resolve([], [noGateways, minimal]).profile).toBe('minimal');
    expect(resolve(['profile=default'], [noGateways]).profile).toBe('default');
    expect(components(['components.egressGateways[name:istio-egressgateway].enabled=true'], [noGateways]).egress).toBe(true);
    expect(components(['profile=demo', 'components.egressGateways[0].enabled=false']).egress).toBe(false);
    expect(resolve(['values.gateways.istio-ingressgateway.type=NodePort']).ingressServiceType).toBe('NodePort');
    expect(resolve(['meshConfig.outboundTrafficPolicy.mode=REGISTRY_ONLY']).meshConfig).toEqual({ outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } });
  });

  it('rejects what Trellis does not honour by name, and bad values with what they must be', () => {
    expect(codeOf(() => resolve(['values.global.hub=docker.io/x']))).toMatch(/^INSTALL_OPTION_UNSUPPORTED: --set values.global.hub=docker.io\/x: Trellis does not honour "values.global.hub"; it honours profile, /);
    expect(codeOf(() => resolve(['hub=docker.io/x']))).toMatch(/Trellis does not honour "hub"/);
    expect(codeOf(() => resolve(['meshConfig.enableAutoMtls=false']))).toMatch(/Trellis does not honour "meshConfig.enableAutoMtls"/);
    expect(codeOf(() => resolve(['components.cni.enabled=true']))).toMatch(/Trellis does not honour "components.cni.enabled"/);
    expect(codeOf(() => resolve(['profile=ambient']))).toBe('INSTALL_OPTION_INVALID: --set profile=ambient: profile must be one of "default", "demo", "minimal" (got "ambient")');
    expect(codeOf(() => resolve(['components.ingressGateways[0].name=my-gateway']))).toMatch(/components.ingressGateways\[\].name must be one of "istio-ingressgateway" \(got "my-gateway"\)/);
    expect(codeOf(() => resolve(['meshConfig.outboundTrafficPolicy.mode=BLOCK']))).toMatch(/must be one of "ALLOW_ANY", "REGISTRY_ONLY"/);
    expect(codeOf(() => resolve(['components.pilot.enabled=maybe']))).toMatch(/must be true or false/);
    expect(codeOf(() => resolve([], [{ source: 'iop.yaml', spec: { values: { global: { istioNamespace: 'istio-system', hub: 'x' } } } }]))).toMatch(
      /^INSTALL_OPTION_UNSUPPORTED: iop.yaml: spec.values.global.hub: Trellis does not honour "values.global.hub"/,
    );
  });

  it("accepts the profile's own empty maps in files, and checks a honoured MeshConfig field whole", () => {
    const copied: OperatorFile = { source: 'iop.yaml', spec: { values: { gateways: { 'istio-ingressgateway': {}, 'istio-egressgateway': {} } }, meshConfig: { extensionProviders: [{ name: 'x', zipkin: { service: 'z', port: 9411 } }] } } };
    expect(resolve([], [copied]).meshConfig).toEqual({ extensionProviders: [{ name: 'x', zipkin: { service: 'z', port: 9411 } }] });
  });
});
