import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { TrellisError } from '@trellis/shared';
import { parseAllDocuments } from 'yaml';

export const MANIFEST_INVALID = 'MANIFEST_INVALID';

/** One document read from a file, a directory entry or stdin, with where it came from. */
export interface ManifestDocument {
  /** The path as the user wrote it (`STDIN` for `-`), for kubectl-style messages. */
  source: string;
  object: Record<string, unknown>;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Reads every `-f` argument: files, directories (their *.yaml/*.yml/*.json files, sorted, not
 * recursive) and `-` for stdin; multi-document YAML; `kind: List` flattened; empty documents skipped.
 */
export async function readManifests(
  filenames: readonly string[],
  cwd: string,
  stdin: NodeJS.ReadableStream,
): Promise<ManifestDocument[]> {
  const docs: ManifestDocument[] = [];
  for (const name of filenames) {
    if (name === '-') {
      docs.push(...parseManifestText(await readStream(stdin), 'STDIN'));
      continue;
    }
    for (const file of await expandPath(name, cwd)) {
      docs.push(...parseManifestText(await readText(file, cwd), file));
    }
  }
  return docs;
}

async function expandPath(name: string, cwd: string): Promise<string[]> {
  const absolute = path.resolve(cwd, name);
  let info;
  try {
    info = await stat(absolute);
  } catch {
    throw new TrellisError(MANIFEST_INVALID, `the path "${name}" does not exist`, { path: name });
  }
  if (!info.isDirectory()) return [name];
  const entries = await readdir(absolute, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && MANIFEST_EXTENSIONS.has(path.extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort()
    .map((file) => path.join(name, file));
}

async function readText(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(path.resolve(cwd, file), 'utf8');
  } catch {
    throw new TrellisError(MANIFEST_INVALID, `the path "${file}" cannot be read`, { path: file });
  }
}

export function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer | string) => chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

/** Parses multi-document YAML (or JSON) text into objects; throws MANIFEST_INVALID with the source. */
export function parseManifestText(text: string, source: string): ManifestDocument[] {
  const docs: ManifestDocument[] = [];
  for (const doc of parseAllDocuments(text)) {
    const error = doc.errors[0];
    if (error) {
      throw new TrellisError(MANIFEST_INVALID, `error parsing ${source}: ${firstLine(error.message)}`, { path: source });
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new TrellisError(MANIFEST_INVALID, `error parsing ${source}: document is not an object`, { path: source });
    }
    docs.push(...flattenList(value as Record<string, unknown>, source));
  }
  return docs;
}

function flattenList(object: Record<string, unknown>, source: string): ManifestDocument[] {
  if (typeof object['kind'] === 'string' && object['kind'].endsWith('List') && Array.isArray(object['items'])) {
    return (object['items'] as unknown[])
      .filter((item): item is Record<string, unknown> => !!item && typeof item === 'object' && !Array.isArray(item))
      .map((item) => ({ source, object: item }));
  }
  return [{ source, object }];
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
