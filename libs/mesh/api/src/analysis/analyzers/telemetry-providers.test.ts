import { analyze } from '../analyze';
import type { Telemetry } from '../../types';

const telemetry = (spec: Telemetry['spec']): Telemetry => ({ apiVersion: 'telemetry.istio.io/v1', kind: 'Telemetry', metadata: { name: 'mesh-default', namespace: 'istio-system' }, spec });

describe('IST0902 TelemetryUnknownProvider', () => {
  const spec = { accessLogging: [{ providers: [{ name: 'envoy' }, { name: 'otel-als' }] }], tracing: [{ providers: [{ name: 'Zipkin' }] }] };
  const mesh = { extensionProviders: [{ name: 'zipkin', zipkin: { service: 'zipkin.istio-system.svc.cluster.local', port: 9411 } }] };

  it('warns for a provider neither the mesh config nor the built-ins define, naming the field', () => {
    const messages = analyze({ telemetries: [telemetry(spec)], meshConfig: mesh }).filter((m) => m.code === 'IST0902');
    expect(messages.map((m) => m.message)).toEqual([
      'accessLogging[0].providers[1] names provider "otel-als", which meshConfig.extensionProviders does not define: it is ignored, so this configuration has no effect.',
    ]);
    expect(messages[0]?.level).toBe('Warning');
  });

  it('says nothing when the mesh config is unknown', () => {
    expect(analyze({ telemetries: [telemetry(spec)] }).filter((m) => m.code === 'IST0902')).toEqual([]);
  });
});
