import type { Command } from 'commander';
import type { AnyResource } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import { isNotFound } from '../client/api-client';
import { globalsOf, type CommandContext, type GlobalOptions } from '../context';
import { RESOURCE_NOT_FOUND, USAGE, type NotFoundItem } from '../errors';
import { qualifiedPlural, qualifiedSingular, resolveKind, type KindInfo } from '../kinds';
import { formatAge } from '../output/age';
import { PRINTER_COLUMNS } from '../output/printer-columns';
import { kubectlList, toKubectlJson, toYaml } from '../output/printers';
import { KUBECTL_STYLE, formatTable } from '../output/table';

const FORMATS = ['json', 'name', 'wide', 'yaml'];

export function registerGet(program: Command, ctx: CommandContext): void {
  program
    .command('get')
    .description('List Istio configuration like kubectl get')
    .argument('<kind>', 'resource type: full name, plural or short name (vs, dr, gw, se, pa, ap, ra)')
    .argument('[names...]', 'resource names')
    .option('-A, --all-namespaces', 'list across all namespaces')
    .action(async (kind: string, names: string[], opts: { allNamespaces?: boolean }, command: Command) => {
      const globals = globalsOf(command);
      if (globals.output && !FORMATS.includes(globals.output)) {
        throw new TrellisError(USAGE, `unable to match a printer suitable for the output format "${globals.output}", allowed formats are: ${FORMATS.join(',')}`);
      }
      const info = resolveKind(kind);
      if (names.length > 0) return getByName(ctx, globals, info, names, !!opts.allNamespaces);
      const namespace = opts.allNamespaces ? undefined : globals.namespace;
      const items = sortObjects(await ctx.api(globals).list(info.kind, namespace));
      if (items.length === 0 && !isStructured(globals.output)) {
        ctx.lines([namespace ? `No resources found in ${namespace} namespace.` : 'No resources found']);
        return;
      }
      print(ctx, globals, info, items, !!opts.allNamespaces, false);
    });
}

async function getByName(ctx: CommandContext, globals: GlobalOptions, info: KindInfo, names: string[], allNs: boolean): Promise<void> {
  const found: AnyResource[] = [];
  const missing: NotFoundItem[] = [];
  for (const name of names) {
    try {
      found.push(await ctx.api(globals).get(info.kind, globals.namespace, name));
    } catch (err) {
      if (!isNotFound(err)) throw err;
      missing.push({ resource: qualifiedPlural(info), name });
    }
  }
  if (found.length > 0) print(ctx, globals, info, found, allNs, names.length === 1);
  if (missing.length > 0) throw new TrellisError(RESOURCE_NOT_FOUND, 'not found', { items: missing });
}

function print(ctx: CommandContext, globals: GlobalOptions, info: KindInfo, items: AnyResource[], allNs: boolean, single: boolean): void {
  const structured = single ? items[0] : kubectlList(items);
  switch (globals.output) {
    case 'yaml':
      return ctx.out(toYaml(structured));
    case 'json':
      return ctx.out(toKubectlJson(structured));
    case 'name':
      return ctx.lines(items.map((o) => `${qualifiedSingular(info)}/${o.metadata.name}`));
    default:
      return ctx.lines(tableFor(info, items, allNs, ctx.now()));
  }
}

/** kubectl's table: NAMESPACE (with -A), NAME, the CRD's printer columns, AGE. */
export function tableFor(info: KindInfo, items: readonly AnyResource[], allNs: boolean, now: Date): string[] {
  const columns = PRINTER_COLUMNS[info.kind];
  const header = [...(allNs ? ['NAMESPACE'] : []), 'NAME', ...columns.map((c) => c.header), 'AGE'];
  const rows = items.map((o) => [
    ...(allNs ? [o.metadata.namespace ?? ''] : []),
    o.metadata.name,
    ...columns.map((c) => c.value(o)),
    formatAge(o.metadata.creationTimestamp, now),
  ]);
  return formatTable(header, rows, KUBECTL_STYLE);
}

function isStructured(output: string | undefined): boolean {
  return output === 'yaml' || output === 'json';
}

function sortObjects(items: AnyResource[]): AnyResource[] {
  return [...items].sort(
    (a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name),
  );
}
