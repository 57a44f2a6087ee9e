import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { applyPatch } from '../patch/apply';
import { createPatch } from '../patch/diff';
import { ENABLED_NAMESPACE, TEST_MESH } from '../testing/fixtures';
import { injectPod } from './inject';
import type { Labels, Pod } from './types';

const DIR = join(__dirname, '..', 'testdata');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
/** Namespace labels per input; everything else is in an `istio-injection=enabled` namespace. */
const NAMESPACE_LABELS: Record<string, Labels> = { 'object-opt-in.yaml': {} };

const inputs = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();

function inject(pod: Pod, file: string): ReturnType<typeof injectPod> {
  return injectPod(pod, { namespaceLabels: NAMESPACE_LABELS[file] ?? ENABLED_NAMESPACE, meshConfig: TEST_MESH });
}

function render(result: ReturnType<typeof injectPod>): string {
  return `# injected: ${result.injected} (${result.reason})\n${stringify(result.pod)}`;
}

describe('injectPod golden files (UPDATE_GOLDEN=1 rewrites them)', () => {
  it.each(inputs)('%s', (file) => {
    const pod = parse(readFileSync(join(DIR, file), 'utf8')) as Pod;
    const actual = render(inject(pod, file));
    const goldenPath = join(DIR, `${file}.injected`);
    if (UPDATE) writeFileSync(goldenPath, actual);
    expect(actual).toBe(readFileSync(goldenPath, 'utf8'));
  });

  it('has no unused golden files', () => {
    const goldens = readdirSync(DIR).filter((f) => f.endsWith('.injected'));
    expect(goldens.filter((g) => !inputs.includes(g.replace(/\.injected$/, '')))).toEqual([]);
  });

  it.each(inputs)('%s: injecting twice equals injecting once (byte for byte)', (file) => {
    const pod = parse(readFileSync(join(DIR, file), 'utf8')) as Pod;
    const once = inject(pod, file);
    const twice = inject(once.pod, file);
    expect(stringify(twice.pod)).toBe(stringify(once.pod));
    expect(createPatch(once.pod, twice.pod)).toEqual([]);
  });

  it.each(inputs)('%s: the diff patch applied to the input gives the injected pod', (file) => {
    const pod = parse(readFileSync(join(DIR, file), 'utf8')) as Pod;
    const result = inject(pod, file);
    expect(applyPatch(pod, createPatch(pod, result.pod))).toEqual(result.pod);
  });
});
