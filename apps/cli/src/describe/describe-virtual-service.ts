import type { DestinationRule, HTTPRoute, MeshService, VirtualService } from '@trellis/mesh-api';
import { hostNames, kname, renderMatch, renderMatches } from './matching';

export interface SubsetSplit {
  matching: string[];
  nonMatching: string[];
}

interface RouteVerdict {
  match: boolean;
  facts: string[];
}

const pad = (n: number): string => ' '.repeat(n);

/** True when a VirtualService routes sidecar (mesh) traffic for the service's host. */
export function virtualServiceAppliesTo(vs: VirtualService, svc: MeshService): boolean {
  const gateways = vs.spec.gateways ?? [];
  if (gateways.length > 0 && !gateways.includes('mesh')) return false;
  const ns = vs.metadata.namespace ?? 'default';
  return (vs.spec.hosts ?? []).some((h) => hostNames(h, ns, svc.hostname));
}

/** The `VirtualService:` block of `istioctl x describe pod` for one service. */
export function describeVirtualService(
  vs: VirtualService,
  svc: MeshService,
  subsets: SubsetSplit,
  dr: DestinationRule | undefined,
  describedNamespace: string,
): string[] {
  const lines = [`VirtualService: ${kname(vs.metadata.name, vs.metadata.namespace, describedNamespace)}`];
  const http = vs.spec.http ?? [];
  let matches = 0;
  let facts = 0;
  const mismatchNotes: string[] = [];
  for (const route of http) {
    const verdict = httpRouteMatchesService(vs, route, svc, subsets, dr, describedNamespace);
    if (verdict.match) {
      matches++;
      facts += verdict.facts.length;
      lines.push(...verdict.facts.map((f) => pad(3) + f));
    } else {
      mismatchNotes.push(...verdict.facts);
    }
  }
  const tcp = vs.spec.tcp ?? [];
  if (matches === 0) {
    if (http.length > 0) lines.push(`${pad(3)}WARNING: No destinations match pod subsets (checked ${http.length} HTTP routes)`);
    if (tcp.length > 0) lines.push(`${pad(3)}WARNING: No destinations match pod subsets (checked ${tcp.length} TCP routes)`);
    lines.push(...mismatchNotes.map((n) => pad(6) + n));
    return lines;
  }
  const possible = http.length + (vs.spec.tls ?? []).length + tcp.length;
  if (matches < possible) {
    lines.push(`${pad(3)}${possible - matches} additional destination(s) that will not reach this pod`);
    if (facts === 0) lines.push(...mismatchNotes.map((n) => pad(6) + n));
    return lines;
  }
  if (facts === 0) {
    if (http.length > 0) lines.push(`${pad(3)}${http.length} HTTP route(s)`);
    if (tcp.length > 0) lines.push(`${pad(3)}${tcp.length} TCP route(s)`);
  }
  return lines;
}

function httpRouteMatchesService(
  vs: VirtualService,
  route: HTTPRoute,
  svc: MeshService,
  subsets: SubsetSplit,
  dr: DestinationRule | undefined,
  describedNamespace: string,
): RouteVerdict {
  const ns = vs.metadata.namespace ?? 'default';
  const facts: string[] = [];
  const notes: string[] = [];
  let match = false;
  for (const dest of route.route ?? []) {
    if (!hostNames(dest.destination.host, ns, svc.hostname)) {
      notes.push(`Route to ${dest.destination.host}`);
      continue;
    }
    const subset = dest.destination.subset;
    if (subset) {
      if (subsets.nonMatching.includes(subset)) {
        notes.push(`Route to non-matching subset ${subset} for (${renderMatches(route.match)})`);
        continue;
      }
      if (!subsets.matching.includes(subset)) {
        notes.push(
          dr
            ? `Warning: Route to UNKNOWN subset ${subset}; check DestinationRule ${kname(dr.metadata.name, dr.metadata.namespace, describedNamespace)}`
            : `Warning: Route to subset ${subset} but NO DESTINATION RULE defining subsets!`,
        );
        continue;
      }
    }
    match = true;
    if (dest.weight && dest.weight > 0) facts.push(`Weight ${dest.weight}%`);
  }
  if (!match) return { match, facts: notes };
  const requestFacts: string[] = [];
  if (route.fault) requestFacts.push(`Fault injection ${JSON.stringify(route.fault)}`);
  for (const m of route.match ?? []) requestFacts.push(renderMatch(m));
  if (requestFacts.length > 0) facts.push(requestFacts.join(', '));
  return { match, facts };
}
