import { canonicalHeaderKey, goHeaderMap, goHeaderValue } from './go-format';

describe('Go formatting of the HTTP check dump', () => {
  it('canonical keys, sorted, repeated values in one list, Host left out', () => {
    expect(canonicalHeaderKey('x-ext-AUTHZ')).toBe('X-Ext-Authz');
    expect(goHeaderMap(['user-agent', 'curl/8', 'Host', 'h:1', 'x-b', '1', 'accept', '*/*', 'X-B', '2'])).toBe('map[Accept:[*/*] User-Agent:[curl/8] X-B:[1 2]]');
    expect(goHeaderMap([])).toBe('map[]');
  });

  it('a header value as net/http writes it: newlines become spaces, trimmed, UTF-8 bytes', () => {
    expect(goHeaderValue('GET a/, body: [x\ny]\n')).toBe('GET a/, body: [x y]');
    expect(Buffer.from(goHeaderValue('é'), 'latin1')).toEqual(Buffer.from('é', 'utf8'));
  });
});
