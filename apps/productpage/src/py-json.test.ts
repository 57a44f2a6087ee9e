import { pyJsonDumps } from './py-json';

describe('pyJsonDumps', () => {
  it('uses simplejson separators, keeps key order and escapes non-ASCII', () => {
    expect(pyJsonDumps({ id: 0, a: [1, 'x', null, true], 'ISBN-10': 'é' })).toBe('{"id": 0, "a": [1, "x", null, true], "ISBN-10": "\\u00e9"}');
    expect(pyJsonDumps({ error: 'Sorry' })).toBe('{"error": "Sorry"}');
    expect(pyJsonDumps([])).toBe('[]');
    expect(pyJsonDumps(1.5)).toBe('1.5');
  });
});
