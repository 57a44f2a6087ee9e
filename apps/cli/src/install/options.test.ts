import path from 'node:path';
import { kubeConfigSource, parseDuration } from './options';

describe('install options', () => {
  it('parses Go-style durations', () => {
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30')).toBe(30_000);
    expect(() => parseDuration('5 minutes')).toThrow('invalid duration "5 minutes"');
    expect(() => parseDuration('m5')).toThrow();
  });

  it('picks --kubeconfig, then $KUBECONFIG, then ~/.kube/config, then in-cluster', () => {
    const none = { HOME: '/nonexistent-home' };
    expect(kubeConfigSource({ kubeconfig: 'kc', context: 'kind-trellis' }, { KUBECONFIG: '/env/kc' }, '/cwd')).toEqual({ type: 'file', path: '/cwd/kc', context: 'kind-trellis' });
    expect(kubeConfigSource({}, { ...none, KUBECONFIG: `/a/kc${path.delimiter}/b/kc` }, '/cwd')).toEqual({ type: 'file', path: '/a/kc' });
    expect(kubeConfigSource({}, none, '/cwd')).toEqual({ type: 'default' });
  });
});
