import type { Command } from 'commander';
import { ROUTE_EXPLAIN_PATH, type RouteExplanation } from '@trellis/mesh-proxy';
import { TrellisError } from '@trellis/shared';
import type { MeshBackend } from '../client/backend';
import { collect, globalsOf, type CommandContext, type GlobalOptions } from '../context';
import { toIstioctlJson, toYaml } from '../output/printers';
import { renderRoute } from '../route/render-route';
import { proxyIdFor } from './proxy-config';

/** Bad flags of `x route` (before anything is asked of the proxy). */
export const ROUTE_INVALID = 'ROUTE_INVALID';

interface RouteFlags {
  host?: string;
  path: string;
  method: string;
  header: string[];
  fromPort?: string;
}

/** `name=value` or `name:value` → `name:value` for the admin query. */
function headerParam(h: string): string {
  const eq = h.indexOf('=');
  const colon = h.indexOf(':', 1);
  const at = eq > 0 && (colon < 0 || eq < colon) ? eq : colon;
  if (at <= 0) throw new TrellisError(ROUTE_INVALID, `--header ${JSON.stringify(h)}: expected name=value`, { header: h });
  return `${h.slice(0, at).trim()}:${h.slice(at + 1).trim()}`;
}

function adminPath(flags: RouteFlags): string {
  if (flags.host === undefined || flags.host === '') throw new TrellisError(ROUTE_INVALID, '--host is required: the request\'s Host / :authority (--host reviews:9080)', {});
  const params = new URLSearchParams({ host: flags.host, path: flags.path, method: flags.method.toUpperCase() });
  if (!flags.path.startsWith('/')) throw new TrellisError(ROUTE_INVALID, `--path ${JSON.stringify(flags.path)}: must start with /`, { path: flags.path });
  for (const h of flags.header) params.append('header', headerParam(h));
  if (flags.fromPort !== undefined) {
    const port = Number(flags.fromPort);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TrellisError(ROUTE_INVALID, `--from-port ${JSON.stringify(flags.fromPort)}: not a port number`, { port: flags.fromPort });
    params.set('port', String(port));
  }
  return `${ROUTE_EXPLAIN_PATH}?${params.toString()}`;
}

/**
 * The proxy the argument names: a node id or `<pod>[.<ns>]` as proxy-config takes it, or — as
 * `kubectl exec deploy/…` would — a Deployment's name when exactly one connected pod of it matches
 * (`productpage-v1`, `istio-ingressgateway -n istio-system`).
 */
async function resolveProxy(api: MeshBackend, arg: string, namespace: string): Promise<string> {
  const id = proxyIdFor(arg, namespace);
  if (id.includes('~')) return id;
  const dot = id.indexOf('.');
  const [pod, ns] = [id.slice(0, dot), id.slice(dot + 1)];
  const connected = (await api.syncz()).map((s) => s.id.split('~')[2] ?? '');
  if (connected.includes(id)) return id;
  const byPrefix = connected.filter((p) => p.startsWith(`${pod}-`) && p.endsWith(`.${ns}`));
  if (byPrefix.length > 1) throw new TrellisError(ROUTE_INVALID, `${arg} matches ${byPrefix.length} pods: name one (${byPrefix.join(', ')})`, { pod: arg });
  return byPrefix[0] ?? id;
}

async function explain(ctx: CommandContext, globals: GlobalOptions, arg: string, flags: RouteFlags): Promise<void> {
  const output = globals.output;
  if (output !== undefined && output !== 'json' && output !== 'yaml') throw new TrellisError(ROUTE_INVALID, `unknown output format ${JSON.stringify(output)} (json|yaml)`, { output });
  const path = adminPath(flags);
  const api = ctx.api(globals);
  const proxy = await resolveProxy(api, arg, globals.namespace);
  const e = (await api.proxyAdmin(proxy, globals.namespace, path)) as RouteExplanation;
  if (output === 'json') ctx.out(toIstioctlJson(e));
  else if (output === 'yaml') ctx.out(toYaml(e));
  else ctx.lines(renderRoute(proxy, e));
  ctx.exitCode = e.failure === undefined ? 0 : 1;
}

export function registerRoute(program: Command, ctx: CommandContext): void {
  const experimental = program.commands.find((c) => c.name() === 'experimental') ?? program.command('experimental').alias('x').description('Experimental commands');
  experimental
    .command('route')
    .description("Where would this request go? The pod's proxy matches it against its own compiled listeners and routes (nothing is sent): listener, virtual host, route, clusters with weights, subsets, endpoints, timeout, retries, mirrors, faults — or the stage that fails (exit code 1)")
    .argument('<pod>', '<pod>[.<namespace>], a Deployment name with one pod (productpage-v1), or a gateway pod (-n istio-system)')
    // Not a requiredOption: commander would report a missing --host before an unknown (mistyped) flag and its suggestion.
    .option('--host <authority>', "the request's Host / :authority, required (reviews:9080)")
    .option('--path <path>', 'request path (with query)', '/')
    .option('--method <method>', 'HTTP method', 'GET')
    .option('--header <name=value>', 'request header (repeatable)', collect, [])
    .option('--from-port <port>', "the proxy port the request arrives on (default: a sidecar's outbound 15001; a gateway's HTTP listener)")
    .action(async (pod: string, flags: RouteFlags, command: Command) => explain(ctx, globalsOf(command), pod, flags));
}
