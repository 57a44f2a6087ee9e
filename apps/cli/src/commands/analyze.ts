import type { Command } from 'commander';
import { collect, globalsOf, type CommandContext } from '../context';
import { toIstioObjects } from '../manifest/istio-objects';
import { readManifests } from '../manifest/read-manifests';
import { toIstioctlJson, toYaml } from '../output/printers';

/** istioctl's exit code when analysis finds issues at or above the failure threshold (Error). */
export const ANALYZER_FOUND_ISSUES = 79;

/** Findings about where requests go: missing hosts/subsets/gateways (IST0101), conflicting mesh hosts (IST0109), ambiguous ports (IST0112), unused or ineffective rules (IST0130, IST0131). */
const ROUTING_CODES = new Set(['IST0101', 'IST0109', 'IST0112', 'IST0130', 'IST0131']);
/** Routing findings: where a request really goes is the proxy's answer (on stderr: stdout stays istioctl's). */
const ROUTE_HINT = 'Hint: see where a request goes with this config: trellis x route <pod> --host <host:port> --path <path> [--header name=value]\n';

export function registerAnalyze(program: Command, ctx: CommandContext): void {
  program
    .command('analyze')
    .description('Analyze Istio configuration and print validation messages')
    .argument('[files...]', 'files or directories to analyze together with the stored configuration')
    .option('-f, --filename <path>', 'file, directory or - (repeatable)', collect, [])
    .option('-A, --all-namespaces', 'analyze all namespaces')
    .action(async (files: string[], opts: { filename: string[]; allNamespaces?: boolean }, command: Command) => {
      const globals = globalsOf(command);
      const inputs = [...files, ...opts.filename];
      const objects = inputs.length > 0 ? toIstioObjects(await readManifests(inputs, ctx.io.cwd, ctx.io.stdin)).map((o) => o.object) : undefined;
      const namespace = opts.allNamespaces ? undefined : globals.namespace;
      const messages = await ctx.api(globals).analyze(objects, namespace);
      if (globals.output === 'json') ctx.out(toIstioctlJson(messages));
      else if (globals.output === 'yaml') ctx.out(toYaml(messages));
      else if (messages.length === 0) {
        ctx.lines([`\u2714 No validation issues found when analyzing ${namespace ? `namespace: ${namespace}` : 'all namespaces'}.`]);
      } else {
        ctx.lines(messages.map((m) => `${m.level} [${m.code}] (${m.origin}) ${m.message}`));
        if (messages.some((m) => ROUTING_CODES.has(m.code))) ctx.io.stderr.write(ROUTE_HINT);
      }
      ctx.exitCode = messages.some((m) => m.level === 'Error') ? ANALYZER_FOUND_ISSUES : 0;
    });
}
