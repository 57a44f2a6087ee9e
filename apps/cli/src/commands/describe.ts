import type { Command } from 'commander';
import { labelsMatch, type DestinationRule, type MeshService, type PeerAuthentication, type VirtualService, type WorkloadInstance } from '@trellis/mesh-api';
import { virtualServiceAppliesTo } from '../describe/describe-virtual-service';
import { globalsOf, type CommandContext } from '../context';
import { describePod, findPod } from '../describe/describe-pod';
import { readInbound } from '../describe/read-inbound';

/** A pod whose Services have VirtualServices: one line pointing to `x route` (routes are decided by the client's proxy). */
function routeHint(pod: WorkloadInstance, services: readonly MeshService[], vss: readonly VirtualService[]): string[] {
  if (!pod.sidecar) return [];
  const routed = services.find((s) => s.namespace === pod.namespace && labelsMatch(s.selector, pod.labels) && vss.some((v) => virtualServiceAppliesTo(v, s)));
  const port = routed?.ports[0]?.port;
  if (routed === undefined || port === undefined) return [];
  return [`Where a client's request to ${routed.name}:${port} goes: trellis x route <client-pod> --host ${routed.name}:${port} --path / [--header name=value]`];
}

export function registerDescribe(program: Command, ctx: CommandContext): void {
  const experimental = program.command('experimental').alias('x').description('Experimental commands');
  const describe = experimental.command('describe').alias('des').description('Describe a resource and its Istio configuration');
  describe
    .command('pod')
    .alias('po')
    .description('Describe a pod: services, DestinationRules, VirtualServices and mTLS mode')
    .argument('<pod>', '<pod>[.<namespace>]')
    .action(async (podArg: string, _opts: unknown, command: Command) => {
      const globals = globalsOf(command);
      const dot = podArg.lastIndexOf('.');
      const pod = dot < 0 ? podArg : podArg.slice(0, dot);
      const namespace = dot < 0 ? globals.namespace : podArg.slice(dot + 1);
      const api = ctx.api(globals);
      const [workloads, services, drs, vss, pas] = await Promise.all([
        api.workloads(),
        api.services(),
        api.list('DestinationRule'),
        api.list('VirtualService'),
        api.list('PeerAuthentication'),
      ]);
      const found = findPod(workloads, pod, namespace);
      const inbound = found.sidecar ? await readInbound(api, `${found.name}.${found.namespace}`, found.namespace) : undefined;
      const lines = describePod({
        inbound,
        pod,
        namespace,
        workloads,
        services,
        destinationRules: drs as unknown as DestinationRule[],
        virtualServices: vss as unknown as VirtualService[],
        peerAuthentications: pas as unknown as PeerAuthentication[],
      });
      ctx.lines([...lines, ...routeHint(found, services, vss as unknown as VirtualService[])]);
    });
}
