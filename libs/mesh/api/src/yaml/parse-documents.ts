import { parseAllDocuments } from 'yaml';

export interface YamlParseError {
  /** File name (or `-` for stdin) the text came from. */
  source: string;
  /** Zero-based index of the document in the stream. */
  document: number;
  message: string;
}

export interface YamlParseResult {
  objects: unknown[];
  errors: YamlParseError[];
}

const firstLine = (message: string): string => message.split('\n')[0] ?? message;

function expandList(value: unknown): unknown[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (o['kind'] === 'List' && Array.isArray(o['items'])) return o['items'];
  }
  return [value];
}

/**
 * Parse a multi-document YAML (or JSON) stream. Empty documents are skipped; `kind: List`
 * documents are expanded into their items. Errors name the source and the document index.
 */
export function parseYamlDocuments(text: string, source: string): YamlParseResult {
  const objects: unknown[] = [];
  const errors: YamlParseError[] = [];
  parseAllDocuments(text).forEach((doc, document) => {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) errors.push({ source, document, message: firstLine(e.message) });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (err) {
      // e.g. an alias whose anchor is missing: the yaml library throws only when converting
      errors.push({ source, document, message: firstLine(err instanceof Error ? err.message : String(err)) });
      return;
    }
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      errors.push({ source, document, message: 'document is not an object' });
      return;
    }
    objects.push(...expandList(value));
  });
  return { objects, errors };
}

export function formatYamlParseError(e: YamlParseError): string {
  return `${e.source}: document ${e.document}: ${e.message}`;
}
