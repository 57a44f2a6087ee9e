import type { Command } from 'commander';
import { TrellisError } from '@trellis/shared';
import { collect, globalsOf, type CommandContext } from '../context';
import { USAGE } from '../errors';
import { displaySingular } from '../kinds';
import { toIstioObjects } from '../manifest/istio-objects';
import { readManifests } from '../manifest/read-manifests';
import { unshippedSampleWarnings } from '../manifest/unshipped-samples';

export function registerApply(program: Command, ctx: CommandContext): void {
  program
    .command('apply')
    .description('Apply Istio configuration from files, directories or stdin (-f -)')
    .option('-f, --filename <path>', 'file, directory or - for stdin (repeatable)', collect, [])
    .action(async (opts: { filename: string[] }, command: Command) => {
      const globals = globalsOf(command);
      if (opts.filename.length === 0) throw new TrellisError(USAGE, 'must specify one of -f and -k');
      const docs = await readManifests(opts.filename, ctx.io.cwd, ctx.io.stdin);
      const objects = toIstioObjects(docs).map((o) => o.object);
      if (objects.length === 0) throw new TrellisError(USAGE, 'no objects passed to apply');
      const api = ctx.api(globals);
      const results = await api.apply(objects, globals.namespace);
      ctx.lines(results.map((r) => `${displaySingular(r.kind)}/${r.name} ${r.action}`));
      // A hint, never a failure: without the registry there is nothing to warn about. The registry is
      // asked only when a VirtualService routes to an unshipped subset at all.
      if (unshippedSampleWarnings(objects, [], globals.namespace).length === 0) return;
      const workloads = await api.workloads().catch(() => undefined);
      for (const line of workloads === undefined ? [] : unshippedSampleWarnings(objects, workloads, globals.namespace)) ctx.io.stderr.write(line + '\n');
    });
}
