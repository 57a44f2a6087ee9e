import { DEFAULT_DOMAIN_SUFFIX, hostCandidates, serviceHostname, toFqdn } from './hosts';

it("serviceHostname is a Service's own FQDN", () => {
  expect(serviceHostname('reviews', 'default')).toBe('reviews.default.svc.cluster.local');
  expect(serviceHostname('reviews', 'prod', 'example.org')).toBe('reviews.prod.svc.example.org');
});

describe('toFqdn (Istio ResolveShortnameToFQDN)', () => {
  it('qualifies a short name in the namespace of the config that mentions it', () => {
    expect(toFqdn('reviews', 'default')).toBe('reviews.default.svc.cluster.local');
    expect(toFqdn('reviews', 'prod', 'example.org')).toBe('reviews.prod.svc.example.org');
    expect(DEFAULT_DOMAIN_SUFFIX).toBe('cluster.local');
  });

  it('takes names with a dot as given (qualified or partially qualified)', () => {
    expect(toFqdn('reviews.default.svc.cluster.local', 'other')).toBe('reviews.default.svc.cluster.local');
    expect(toFqdn('reviews.default', 'other')).toBe('reviews.default');
    expect(toFqdn('www.example.com', 'default')).toBe('www.example.com');
    expect(toFqdn('10.0.0.1', 'default')).toBe('10.0.0.1');
  });

  it('takes wildcards, IPv6 literals and the empty host as given', () => {
    expect(toFqdn('*', 'default')).toBe('*');
    expect(toFqdn('*.example.com', 'default')).toBe('*.example.com');
    expect(toFqdn('svc*', 'default')).toBe('svc*');
    expect(toFqdn('::1', 'default')).toBe('::1');
    expect(toFqdn('', 'default')).toBe('');
  });
});

describe('hostCandidates', () => {
  it('is the FQDN alone for short and fully qualified names', () => {
    expect(hostCandidates('reviews', 'default')).toEqual(['reviews.default.svc.cluster.local']);
    expect(hostCandidates('reviews.default.svc.cluster.local', 'x')).toEqual(['reviews.default.svc.cluster.local']);
    expect(hostCandidates('www.example.com', 'x')).toEqual(['www.example.com']);
  });

  it('completes name.namespace and name.namespace.svc as Kubernetes DNS does', () => {
    expect(hostCandidates('reviews.prod', 'default')).toEqual(['reviews.prod', 'reviews.prod.svc.cluster.local']);
    expect(hostCandidates('reviews.prod.svc', 'default', 'example.org')).toEqual(['reviews.prod.svc', 'reviews.prod.svc.example.org']);
  });
});
