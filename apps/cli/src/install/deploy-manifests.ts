import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { TrellisError } from '@trellis/shared';
import { parseAllDocuments, parse } from 'yaml';
import { MANIFEST_INVALID } from '../manifest/read-manifests';

/** One Kubernetes object from deploy/, with the file it came from (relative to deploy/). */
export interface DeployObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface DeployManifest {
  object: DeployObject;
  source: string;
}

/** A top-level entry of deploy/kustomization.yaml (`crds`, `control-plane`, `gateway`), installed as one step. */
export interface Component {
  name: string;
  manifests: DeployManifest[];
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** What `trellis install` understands of a kustomization: plain lists of files and directories. */
const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'bases']);

/**
 * deploy/ of the repository: `TRELLIS_DEPLOY_DIR`, else the first `deploy/kustomization.yaml` above `from`
 * (the bundle's dist/apps/cli → ../../../deploy; the sources' apps/cli/src/install → ../../../../deploy).
 */
export function findDeployDir(env: Readonly<Record<string, string | undefined>>, from: string): string {
  const explicit = env['TRELLIS_DEPLOY_DIR'];
  if (explicit) return path.resolve(explicit);
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'deploy', 'kustomization.yaml'))) return path.join(dir, 'deploy');
    if (path.dirname(dir) === dir) break;
  }
  throw new TrellisError('DEPLOY_DIR_NOT_FOUND', 'cannot find the deploy/ manifests: set TRELLIS_DEPLOY_DIR', { from });
}

/** The components of `deployDir`'s kustomization, in its order; each one's objects as kustomize lists them. */
export async function loadComponents(deployDir: string): Promise<Component[]> {
  const entries = await kustomizationEntries(deployDir);
  const components: Component[] = [];
  for (const entry of entries) {
    components.push({ name: path.basename(entry, path.extname(entry)), manifests: await loadEntry(deployDir, entry, deployDir) });
  }
  return components;
}

/** deploy/ directories outside its kustomization (not in Istio's default profile): `egress-gateway` (demo). */
export const OPTIONAL_COMPONENTS = ['egress-gateway'];

/** The kustomization's components, then the optional ones that exist: everything a profile may choose from. */
export async function loadAllComponents(deployDir: string): Promise<Component[]> {
  const components = await loadComponents(deployDir);
  for (const name of OPTIONAL_COMPONENTS.filter((n) => existsSync(path.join(deployDir, n)))) {
    components.push({ name, manifests: await loadEntry(deployDir, name, deployDir) });
  }
  return components;
}

async function kustomizationEntries(dir: string): Promise<string[]> {
  const file = KUSTOMIZATION_FILES.map((f) => path.join(dir, f)).find((f) => existsSync(f));
  if (file === undefined) throw new TrellisError(MANIFEST_INVALID, `no kustomization file in ${dir}`, { path: dir });
  const doc: unknown = parse(await readFile(file, 'utf8'));
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new TrellisError(MANIFEST_INVALID, `${file} is not a kustomization`, { path: file });
  const fields = doc as Record<string, unknown>;
  const unsupported = Object.keys(fields).filter((k) => !SUPPORTED_FIELDS.has(k));
  if (unsupported.length > 0) {
    throw new TrellisError(MANIFEST_INVALID, `${file}: trellis install reads only resources and bases, not ${unsupported.join(', ')}`, { path: file });
  }
  return [...stringList(fields['resources'], file), ...stringList(fields['bases'], file)];
}

function stringList(value: unknown, file: string): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  throw new TrellisError(MANIFEST_INVALID, `${file}: resources and bases must be lists of paths`, { path: file });
}

async function loadEntry(dir: string, entry: string, root: string): Promise<DeployManifest[]> {
  const target = path.resolve(dir, entry);
  if (!(await stat(target).catch(() => undefined))?.isDirectory()) return parseFile(target, root);
  const out: DeployManifest[] = [];
  for (const child of await kustomizationEntries(target)) out.push(...(await loadEntry(target, child, root)));
  return out;
}

async function parseFile(file: string, root: string): Promise<DeployManifest[]> {
  const source = path.relative(root, file);
  const text = await readFile(file, 'utf8').catch(() => {
    throw new TrellisError(MANIFEST_INVALID, `the path "${source}" cannot be read`, { path: source });
  });
  const out: DeployManifest[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new TrellisError(MANIFEST_INVALID, `error parsing ${source}: ${doc.errors[0]?.message ?? ''}`, { path: source });
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    out.push({ object: asObject(value, source), source });
  }
  return out;
}

function asObject(value: unknown, source: string): DeployObject {
  const o = value as Partial<DeployObject> | null;
  const ok = typeof o === 'object' && o !== null && typeof o.apiVersion === 'string' && typeof o.kind === 'string' && typeof o.metadata?.name === 'string';
  if (!ok) throw new TrellisError(MANIFEST_INVALID, `error parsing ${source}: every object needs apiVersion, kind and metadata.name`, { path: source });
  return o as DeployObject;
}
