import type { PeerAuthentication, PeerAuthenticationSpec } from '../types';
import { effectivePeerAuthentication, mtlsModeForPort, namespaceMtlsMode } from './peer-authentication';

type Mode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

function pa(ns: string, name: string, spec: PeerAuthenticationSpec, created = '2024-01-01T00:00:00Z'): PeerAuthentication {
  return { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name, namespace: ns, creationTimestamp: created }, spec };
}
const mesh = (mode: Mode): PeerAuthentication => pa('istio-system', 'default', { mtls: { mode } });
const nsWide = (mode: Mode): PeerAuthentication => pa('foo', 'default', { mtls: { mode } });
const workload = (mode: Mode, ports?: Record<string, { mode?: Mode }>): PeerAuthentication =>
  pa('foo', 'httpbin', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode }, ...(ports && { portLevelMtls: ports }) });

const HTTPBIN = { namespace: 'foo', labels: { app: 'httpbin', version: 'v1' } };

describe('effectivePeerAuthentication: Istio precedence', () => {
  // [case, policies, expected workload mode]
  const table: [string, PeerAuthentication[], string][] = [
    ['no policy → PERMISSIVE', [], 'PERMISSIVE'],
    ['mesh STRICT', [mesh('STRICT')], 'STRICT'],
    ['mesh UNSET → default', [mesh('UNSET')], 'PERMISSIVE'],
    ['namespace overrides mesh', [mesh('STRICT'), nsWide('DISABLE')], 'DISABLE'],
    ['namespace UNSET inherits mesh', [mesh('STRICT'), nsWide('UNSET')], 'STRICT'],
    ['workload overrides namespace', [nsWide('STRICT'), workload('PERMISSIVE')], 'PERMISSIVE'],
    ['workload UNSET inherits namespace', [nsWide('STRICT'), workload('UNSET')], 'STRICT'],
    ['workload UNSET inherits mesh through an UNSET namespace', [mesh('DISABLE'), nsWide('UNSET'), workload('UNSET')], 'DISABLE'],
    ['other namespace ignored', [pa('bar', 'default', { mtls: { mode: 'STRICT' } })], 'PERMISSIVE'],
    ['non-matching selector ignored', [pa('foo', 'x', { selector: { matchLabels: { app: 'sleep' } }, mtls: { mode: 'STRICT' } })], 'PERMISSIVE'],
    ['selector policy in the root namespace ignored', [pa('istio-system', 'x', { selector: { matchLabels: { app: 'httpbin' } }, mtls: { mode: 'STRICT' } })], 'PERMISSIVE'],
    ['empty matchLabels is namespace-wide', [mesh('STRICT'), pa('foo', 'empty', { selector: { matchLabels: {} }, mtls: { mode: 'DISABLE' } })], 'DISABLE'],
  ];
  it.each(table)('%s', (_name, policies, expected) => {
    expect(effectivePeerAuthentication(policies, HTTPBIN).mode).toBe(expected);
  });

  it('the oldest policy of a level wins (creation time, then name)', () => {
    const young = pa('foo', 'a-young', { mtls: { mode: 'STRICT' } }, '2024-02-01T00:00:00Z');
    const old = pa('foo', 'z-old', { mtls: { mode: 'DISABLE' } }, '2024-01-01T00:00:00Z');
    expect(effectivePeerAuthentication([young, old], HTTPBIN).mode).toBe('DISABLE');
    const tieB = pa('foo', 'b', { mtls: { mode: 'STRICT' } });
    const tieA = pa('foo', 'a', { mtls: { mode: 'DISABLE' } });
    expect(effectivePeerAuthentication([tieB, tieA], HTTPBIN).namespace?.metadata.name).toBe('a');
  });

  it('port level: only from the workload policy, UNSET inherits the workload mode', () => {
    const eff = effectivePeerAuthentication([nsWide('STRICT'), workload('UNSET', { '80': { mode: 'DISABLE' }, '8080': { mode: 'UNSET' } })], HTTPBIN);
    expect(mtlsModeForPort(eff, 80)).toBe('DISABLE');
    expect(mtlsModeForPort(eff, 8080)).toBe('STRICT');
    expect(mtlsModeForPort(eff, 9000)).toBe('STRICT');
  });

  it('ignores portLevelMtls on a namespace or mesh policy', () => {
    const bad = pa('foo', 'default', { mtls: { mode: 'STRICT' }, portLevelMtls: { '80': { mode: 'DISABLE' } } });
    const eff = effectivePeerAuthentication([bad], HTTPBIN);
    expect(mtlsModeForPort(eff, 80)).toBe('STRICT');
  });

  it('lists applied policies as Istio does: own namespace first, then the root namespace', () => {
    const eff = effectivePeerAuthentication([mesh('STRICT'), workload('UNSET'), nsWide('UNSET')], HTTPBIN);
    expect(eff.applied.map((p) => `${p.metadata.name}.${p.metadata.namespace}`)).toEqual(['default.foo', 'httpbin.foo', 'default.istio-system']);
  });

  it('namespaceMtlsMode ignores workload policies', () => {
    expect(namespaceMtlsMode([mesh('STRICT'), workload('DISABLE')], 'foo')).toBe('STRICT');
    expect(namespaceMtlsMode([mesh('STRICT'), nsWide('DISABLE')], 'foo')).toBe('DISABLE');
    expect(namespaceMtlsMode([nsWide('DISABLE')], 'bar')).toBe('PERMISSIVE');
  });
});
