import { parseFlags, parseGoDuration } from './flags';
import { LOAD_FLAGS } from './load';

describe("Go-style flags as fortio's command line takes them", () => {
  it('reads -name value, -name=value, --name, bools and repeated -H, stopping at the URL', () => {
    const f = parseFlags(['-c', '2', '-qps=0', '--n', '20', '-quiet', '-H', 'a: 1', '-H', 'b: 2', 'http://httpbin:8000/get', '-x'], LOAD_FLAGS);
    expect([f.values.get('c'), f.values.get('qps'), f.values.get('n')]).toEqual(['2', '0', '20']);
    expect(f.bools.get('quiet')).toBe(true);
    expect(f.lists.get('H')).toEqual(['a: 1', 'b: 2']);
    expect(f.args).toEqual(['http://httpbin:8000/get', '-x']);
  });

  it("rejects what Go's flag package rejects, naming the flag", () => {
    expect(() => parseFlags(['-bogus', '1'], LOAD_FLAGS)).toThrow('flag provided but not defined: -bogus');
    expect(() => parseFlags(['-c'], LOAD_FLAGS)).toThrow('flag needs an argument: -c');
    expect(() => parseFlags(['-keepalive=maybe'], LOAD_FLAGS)).toThrow('invalid boolean value "maybe" for -keepalive');
  });

  it('parses Go durations', () => {
    expect(parseGoDuration('1m30s', 't')).toBe(90_000);
    expect(parseGoDuration('250ms', 't')).toBe(250);
    expect(() => parseGoDuration('5 seconds', 't')).toThrow('invalid value "5 seconds" for flag -t');
  });
});
