import type { Command } from 'commander';
import type { DestinationRule, PeerAuthentication, VirtualService } from '@trellis/mesh-api';
import { globalsOf, type CommandContext } from '../context';
import { describePod, findPod } from '../describe/describe-pod';
import { readInbound } from '../describe/read-inbound';

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
      ctx.lines(
        describePod({
          inbound,
          pod,
          namespace,
          workloads,
          services,
          destinationRules: drs as unknown as DestinationRule[],
          virtualServices: vss as unknown as VirtualService[],
          peerAuthentications: pas as unknown as PeerAuthentication[],
        }),
      );
    });
}
