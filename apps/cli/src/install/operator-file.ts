import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TrellisError } from '@trellis/shared';
import { parseAllDocuments } from 'yaml';
import { isTree } from './operator-tree';
import type { OperatorFile } from './resolve';

export const OPERATOR_FILE_INVALID = 'OPERATOR_FILE_INVALID';

/** Reads `-f <file>` (`-` = stdin, last only, as istioctl): one IstioOperator (install.istio.io/v1alpha1), its spec. */
export async function readOperatorFile(file: string, cwd: string, stdin: () => Promise<string>): Promise<OperatorFile> {
  const text = file === '-' ? await stdin() : await readFile(path.resolve(cwd, file), 'utf8').catch(() => {
    throw new TrellisError(OPERATOR_FILE_INVALID, `open ${file}: no such file or directory`, { file });
  });
  const docs = parseAllDocuments(text).filter((d) => d.contents !== null);
  const bad = docs.find((d) => d.errors.length > 0);
  if (bad !== undefined) throw new TrellisError(OPERATOR_FILE_INVALID, `${file}: could not parse YAML: ${bad.errors[0]?.message ?? ''}`, { file });
  if (docs.length !== 1) throw new TrellisError(OPERATOR_FILE_INVALID, `${file}: contains ${docs.length} documents but expected exactly one IstioOperator`, { file });
  const iop: unknown = docs[0]?.toJS();
  if (!isTree(iop) || iop['kind'] !== 'IstioOperator' || !String(iop['apiVersion'] ?? '').startsWith('install.istio.io/')) {
    throw new TrellisError(OPERATOR_FILE_INVALID, `${file}: expected kind IstioOperator (apiVersion install.istio.io/v1alpha1)`, { file });
  }
  const spec = iop['spec'] ?? {};
  if (!isTree(spec)) throw new TrellisError(OPERATOR_FILE_INVALID, `${file}: spec must be a map`, { file });
  return { source: file, spec };
}
