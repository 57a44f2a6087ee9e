import { formatYamlParseError, parseYamlDocuments } from '../index';

describe('parseYamlDocuments', () => {
  it('parses multi-document streams and skips empty documents', () => {
    const text = '---\n# only a comment\n---\nkind: A\n---\n\n---\nkind: B\n...\n';
    const { objects, errors } = parseYamlDocuments(text, 'a.yaml');
    expect(errors).toEqual([]);
    expect(objects).toEqual([{ kind: 'A' }, { kind: 'B' }]);
  });

  it('names the file and the document index of a syntax error and keeps the other documents', () => {
    const { objects, errors } = parseYamlDocuments('kind: A\n---\nkind: [B\n---\nkind: C\n', 'vs.yaml');
    expect(objects).toEqual([{ kind: 'A' }, { kind: 'C' }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ source: 'vs.yaml', document: 1 });
    expect(formatYamlParseError(errors[0]!)).toMatch(/^vs\.yaml: document 1: /);
  });

  it('reports scalar documents and expands kind: List', () => {
    const { objects, errors } = parseYamlDocuments('just text\n---\nkind: List\nitems:\n- kind: X\n- kind: Y\n', '-');
    expect(errors).toEqual([{ source: '-', document: 0, message: 'document is not an object' }]);
    expect(objects).toEqual([{ kind: 'X' }, { kind: 'Y' }]);
  });

  it('accepts JSON', () => {
    expect(parseYamlDocuments('{"kind": "A", "n": 1}', 'a.json').objects).toEqual([{ kind: 'A', n: 1 }]);
  });
});
