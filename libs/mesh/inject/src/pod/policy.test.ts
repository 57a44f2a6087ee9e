import { injectionDecision } from './policy';
import type { Labels, Pod } from './types';

function pod(labels?: Labels, annotations?: Labels, hostNetwork?: boolean): Pod {
  return { metadata: { labels, annotations }, spec: { containers: [{ name: 'app' }], hostNetwork } };
}
const enabled = { 'istio-injection': 'enabled' };

describe('injectionDecision', () => {
  it.each<[string, Pod, Labels, string]>([
    ['namespace enabled', pod(), enabled, 'injected'],
    ['trellis namespace label', pod(), { 'trellis-injection': 'enabled' }, 'injected'],
    ['unlabelled namespace', pod(), {}, 'namespace-not-enabled'],
    ['pod label opt-in', pod({ 'sidecar.istio.io/inject': 'true' }), {}, 'injected'],
    ['pod annotation opt-in', pod(undefined, { 'sidecar.istio.io/inject': 'true' }), {}, 'injected'],
    ['pod label opt-out', pod({ 'sidecar.istio.io/inject': 'false' }), enabled, 'pod-label-opt-out'],
    ['pod annotation opt-out', pod(undefined, { 'sidecar.istio.io/inject': 'false' }), enabled, 'pod-annotation-opt-out'],
    ['label preferred over annotation', pod({ 'sidecar.istio.io/inject': 'true' }, { 'sidecar.istio.io/inject': 'false' }), {}, 'injected'],
    ['hostNetwork', pod({ 'sidecar.istio.io/inject': 'true' }, undefined, true), enabled, 'host-network'],
    ['namespace disabled beats pod opt-in', pod({ 'sidecar.istio.io/inject': 'true' }), { 'istio-injection': 'disabled' }, 'namespace-disabled'],
    ['already injected', pod(undefined, { 'sidecar.istio.io/status': '{}' }), enabled, 'reinjected'],
  ])('%s', (_name, p, ns, reason) => {
    expect(injectionDecision(p, ns).reason).toBe(reason);
  });
});
