import { mirrorDestinations, routeDestinations, type AnnotatedDestination } from '../destinations';
import {
  refOf,
  referencedResourceNotFound,
  virtualServiceDestinationPortSelectorRequired,
  type AnalysisMessage,
  type ResourceRef,
} from '../messages';
import type { KnownHost } from '../hosts';
import { nsOf, type AnalysisContext } from './context';

function checkPorts(r: ResourceRef, d: AnnotatedDestination, known: KnownHost): AnalysisMessage[] {
  const port = d.destination.port?.number;
  if (port === undefined) {
    return known.ports.length > 1 ? [virtualServiceDestinationPortSelectorRequired(r, d.destination.host, known.ports)] : [];
  }
  if (known.ports.length === 0 || known.ports.includes(port)) return [];
  return [referencedResourceNotFound(r, 'host:port', `${d.destination.host}:${port}`)];
}

/** IST0101 for destination/mirror hosts missing from the registry and ServiceEntries; IST0112 for ambiguous ports. */
export function analyzeDestinationHosts(ctx: AnalysisContext): AnalysisMessage[] {
  const out: AnalysisMessage[] = [];
  for (const vs of ctx.virtualServices) {
    const r = refOf(vs);
    const check = (d: AnnotatedDestination, reftype: string): void => {
      const known = ctx.hosts.find(d.destination.host, nsOf(vs));
      if (known === undefined) out.push(referencedResourceNotFound(r, reftype, d.destination.host));
      else out.push(...checkPorts(r, d, known));
    };
    routeDestinations(vs).forEach((d) => check(d, 'host'));
    mirrorDestinations(vs).forEach((d) => check(d, 'mirror host'));
  }
  return out;
}
