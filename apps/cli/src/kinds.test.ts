import { findKind, kindForManifest, qualifiedPlural, qualifiedSingular, resolveKind } from './kinds';

describe('resolveKind', () => {
  it.each([
    ['vs', 'VirtualService'],
    ['virtualservice', 'VirtualService'],
    ['virtualservices', 'VirtualService'],
    ['VirtualService', 'VirtualService'],
    ['virtualservices.networking.istio.io', 'VirtualService'],
    ['dr', 'DestinationRule'],
    ['destinationrules', 'DestinationRule'],
    ['gw', 'Gateway'],
    ['gateways', 'Gateway'],
    ['se', 'ServiceEntry'],
    ['serviceentries', 'ServiceEntry'],
    ['sidecar', 'Sidecar'],
    ['sidecars', 'Sidecar'],
    ['pa', 'PeerAuthentication'],
    ['peerauthentications', 'PeerAuthentication'],
    ['ap', 'AuthorizationPolicy'],
    ['authorizationpolicies', 'AuthorizationPolicy'],
    ['ra', 'RequestAuthentication'],
    ['requestauthentication', 'RequestAuthentication'],
  ])('%s → %s', (input, kind) => {
    expect(resolveKind(input).kind).toBe(kind);
  });

  it('rejects unknown types and wrong groups', () => {
    expect(() => resolveKind('pods')).toThrow(expect.objectContaining({ code: 'UNKNOWN_RESOURCE_TYPE' }));
    expect(findKind('gateways.example.com')).toBeUndefined();
    expect(findKind('gateways.gateway.networking.k8s.io')?.kind).toBe('KubernetesGateway');
  });

  it('names resources like kubectl', () => {
    expect(qualifiedSingular(resolveKind('vs'))).toBe('virtualservice.networking.istio.io');
    expect(qualifiedPlural(resolveKind('ap'))).toBe('authorizationpolicies.security.istio.io');
  });
});

describe('kindForManifest', () => {
  it('accepts Istio kinds in any Istio API version', () => {
    expect(kindForManifest('VirtualService', 'networking.istio.io/v1alpha3')?.kind).toBe('VirtualService');
    expect(kindForManifest('PeerAuthentication', 'security.istio.io/v1')?.kind).toBe('PeerAuthentication');
  });
  it('rejects Kubernetes kinds; a Gateway API Gateway is KubernetesGateway', () => {
    expect(kindForManifest('Service', 'v1')).toBeUndefined();
    expect(kindForManifest('Gateway', 'gateway.networking.k8s.io/v1')?.kind).toBe('KubernetesGateway');
  });
});
