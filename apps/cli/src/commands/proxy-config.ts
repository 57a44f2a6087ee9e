import type { Command } from 'commander';
import type { ConfigDump } from '../client/api-types';
import { globalsOf, type CommandContext, type GlobalOptions } from '../context';
import { toIstioctlJson, toYaml } from '../output/printers';
import { ISTIOCTL_STYLE, formatTable } from '../output/table';
import { CLUSTER_HEADER, clusterRows, filterClusters, type ClusterFilter } from '../proxy-config/clusters';
import { ENDPOINT_HEADER, endpointRows } from '../proxy-config/endpoints';
import { get } from '../proxy-config/envoy-access';
import { LISTENER_HEADER, listenerRows } from '../proxy-config/listeners';
import { ROUTE_HEADER, routeRows } from '../proxy-config/routes';
import { SECRET_HEADER, secretRows, secretsDumpOf } from '../proxy-config/secrets';

type Section = 'cluster' | 'listener' | 'route' | 'endpoint';
interface SectionOptions extends ClusterFilter {
  name?: string;
  cluster?: string;
}

export function registerProxyConfig(program: Command, ctx: CommandContext): void {
  const pc = program.command('proxy-config').alias('pc').description("Show a proxy's Envoy configuration (from the control plane)");
  const add = (name: Section | 'all' | 'secret', description: string): Command =>
    pc.command(name).alias(`${name}s`).description(description).argument('<pod>', '<pod>[.<namespace>] or proxy id');
  add('cluster', 'clusters (CDS)')
    .option('--fqdn <fqdn>', 'filter by service FQDN substring')
    .option('--port <port>', 'filter by port')
    .option('--subset <subset>', 'filter by subset')
    .option('--direction <dir>', 'filter by direction (inbound|outbound)')
    .action((pod: string, opts: SectionOptions, cmd: Command) => show(ctx, globalsOf(cmd), pod, ['cluster'], opts));
  add('listener', 'listeners (LDS)')
    .option('--port <port>', 'filter by port')
    .action((pod: string, opts: SectionOptions, cmd: Command) => show(ctx, globalsOf(cmd), pod, ['listener'], opts));
  add('route', 'route configurations (RDS)')
    .option('--name <name>', 'filter by route configuration name')
    .action((pod: string, opts: SectionOptions, cmd: Command) => show(ctx, globalsOf(cmd), pod, ['route'], opts));
  add('endpoint', 'endpoints (EDS)')
    .option('--cluster <name>', 'filter by cluster name')
    .action((pod: string, opts: SectionOptions, cmd: Command) => show(ctx, globalsOf(cmd), pod, ['endpoint'], opts));
  add('secret', 'secrets (SDS) from the proxy admin: workload certificate and root')
    .action((pod: string, _o: unknown, cmd: Command) => showSecrets(ctx, globalsOf(cmd), pod));
  add('all', 'clusters, listeners, routes and endpoints').action((pod: string, _o: unknown, cmd: Command) =>
    show(ctx, globalsOf(cmd), pod, ['cluster', 'listener', 'route', 'endpoint'], {}),
  );
}

/** istioctl's `proxy-config secret`: the proxy's own SecretsConfigDump (its admin `/config_dump`), as a table or `-o json|yaml`. */
async function showSecrets(ctx: CommandContext, globals: GlobalOptions, pod: string): Promise<void> {
  const dump = secretsDumpOf(await ctx.api(globals).proxyAdmin(proxyIdFor(pod, globals.namespace), globals.namespace, '/config_dump'));
  if (globals.output === 'json' || globals.output === 'yaml') {
    const raw = dump ?? {};
    return ctx.out(globals.output === 'json' ? toIstioctlJson(raw) : toYaml(raw));
  }
  const rows = secretRows(dump, ctx.now().getTime());
  if (rows.length === 0) return ctx.lines(['No active or warming secrets found.']);
  ctx.lines(formatTable(SECRET_HEADER, rows, ISTIOCTL_STYLE));
}

/** `reviews-v1-abc` → `reviews-v1-abc.<-n>`; ids and `pod.ns` pass through. */
export function proxyIdFor(pod: string, namespace: string): string {
  return pod.includes('.') || pod.includes('~') ? pod : `${pod}.${namespace}`;
}

async function show(ctx: CommandContext, globals: GlobalOptions, pod: string, sections: Section[], opts: SectionOptions): Promise<void> {
  const dump = await ctx.api(globals).configDump(proxyIdFor(pod, globals.namespace));
  const clusters = filterClusters(dump.clusters, opts);
  if (globals.output === 'json' || globals.output === 'yaml') {
    const raw = sections.length > 1 ? dump : rawSection(sections[0] ?? 'cluster', dump, clusters, opts);
    return ctx.out(globals.output === 'json' ? toIstioctlJson(raw) : toYaml(raw));
  }
  const tables: string[][] = [];
  for (const section of sections) {
    if (section === 'cluster') tables.push(formatTable(CLUSTER_HEADER, clusterRows(clusters), ISTIOCTL_STYLE));
    if (section === 'listener') tables.push(formatTable(LISTENER_HEADER, listenerRows(dump.listeners, opts.port), ISTIOCTL_STYLE));
    if (section === 'route') tables.push(formatTable(ROUTE_HEADER, routeRows(dump.routes, opts.name), ISTIOCTL_STYLE));
    if (section === 'endpoint') tables.push(formatTable(ENDPOINT_HEADER, endpointRows(dump.endpoints, opts.cluster), ISTIOCTL_STYLE));
  }
  ctx.lines(tables.flatMap((t, i) => (i === 0 ? t : ['', ...t])));
}

/** One section as JSON/YAML, with the same filters as its table (as istioctl does). */
function rawSection(section: Section, dump: ConfigDump, clusters: ConfigDump['clusters'], opts: SectionOptions): unknown {
  if (section === 'cluster') return clusters;
  if (section === 'listener') return dump.listeners.filter((l) => !opts.port || String(get(l, 'address', 'socket_address', 'port_value') ?? '') === opts.port);
  if (section === 'route') return dump.routes.filter((r) => !opts.name || r['name'] === opts.name);
  return dump.endpoints.filter((e) => !opts.cluster || e['cluster_name'] === opts.cluster);
}
