import type { Command } from 'commander';
import { TrellisError } from '@trellis/shared';
import type { DeleteResult } from '@trellis/mesh-config';
import { isNotFound } from '../client/api-client';
import { collect, globalsOf, type CommandContext, type GlobalOptions } from '../context';
import { RESOURCE_NOT_FOUND, USAGE, type NotFoundItem } from '../errors';
import { displaySingular, qualifiedPlural, qualifiedSingular, resolveKind, KINDS } from '../kinds';
import { toIstioObjects, type SourcedObject } from '../manifest/istio-objects';
import { readManifests } from '../manifest/read-manifests';

export function registerDelete(program: Command, ctx: CommandContext): void {
  program
    .command('delete')
    .description('Delete Istio configuration by file (-f) or by KIND NAME...')
    .argument('[kind]', 'resource type (vs, dr, gw, ...)')
    .argument('[names...]', 'resource names')
    .option('-f, --filename <path>', 'file, directory or - for stdin (repeatable)', collect, [])
    .action(async (kind: string | undefined, names: string[], opts: { filename: string[] }, command: Command) => {
      const globals = globalsOf(command);
      if (opts.filename.length > 0) return deleteFromFiles(ctx, globals, opts.filename);
      if (!kind || names.length === 0) {
        throw new TrellisError(USAGE, 'You must provide one or more resources by argument or filename.');
      }
      return deleteByName(ctx, globals, kind, names);
    });
}

async function deleteFromFiles(ctx: CommandContext, globals: GlobalOptions, filenames: string[]): Promise<void> {
  const objects = toIstioObjects(await readManifests(filenames, ctx.io.cwd, ctx.io.stdin));
  const results = await ctx.api(globals).deleteObjects(objects.map((o) => o.object), globals.namespace);
  const missing: NotFoundItem[] = [];
  for (const r of results) {
    if (r.action === 'deleted') {
      ctx.lines([`${displaySingular(r.kind)} "${r.name}" deleted`]);
    } else {
      missing.push({ resource: pluralFor(r.kind), name: r.name, source: sourceOf(objects, r) });
    }
  }
  if (missing.length > 0) throw new TrellisError(RESOURCE_NOT_FOUND, 'not found', { items: missing });
}

async function deleteByName(ctx: CommandContext, globals: GlobalOptions, kind: string, names: string[]): Promise<void> {
  const info = resolveKind(kind);
  const missing: NotFoundItem[] = [];
  for (const name of names) {
    try {
      await ctx.api(globals).deleteOne(info.kind, globals.namespace, name);
      ctx.lines([`${qualifiedSingular(info)} "${name}" deleted`]);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      missing.push({ resource: qualifiedPlural(info), name });
    }
  }
  if (missing.length > 0) throw new TrellisError(RESOURCE_NOT_FOUND, 'not found', { items: missing });
}

function pluralFor(kind: string): string {
  const info = KINDS.find((k) => k.kind === kind);
  return info ? qualifiedPlural(info) : kind.toLowerCase();
}

function sourceOf(objects: readonly SourcedObject[], r: Pick<DeleteResult, 'name' | 'namespace'> & { kind: string }): string | undefined {
  const match = objects.find(
    (o) =>
      o.object.kind === r.kind &&
      o.object.metadata.name === r.name &&
      (o.object.metadata.namespace === undefined || o.object.metadata.namespace === r.namespace),
  );
  return match?.source;
}
