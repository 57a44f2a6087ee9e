import type { Destination, VirtualService } from '../types';

/** A destination mentioned by a VirtualService, with where it was found. */
export interface AnnotatedDestination {
  destination: Destination;
  /** `http`, `tcp`, `tls` or `http.mirror` */
  routeRule: string;
  ruleIndex: number;
  destinationIndex: number;
}

export function routeDestinations(vs: VirtualService): AnnotatedDestination[] {
  const out: AnnotatedDestination[] = [];
  const add = (routeRule: string, rules: readonly { route?: readonly { destination: Destination }[] }[] | undefined): void => {
    (rules ?? []).forEach((rule, ruleIndex) =>
      (rule.route ?? []).forEach((r, destinationIndex) => {
        if (r.destination !== undefined) out.push({ destination: r.destination, routeRule, ruleIndex, destinationIndex });
      }),
    );
  };
  add('http', vs.spec.http);
  add('tcp', vs.spec.tcp);
  add('tls', vs.spec.tls);
  return out;
}

export function mirrorDestinations(vs: VirtualService): AnnotatedDestination[] {
  const out: AnnotatedDestination[] = [];
  (vs.spec.http ?? []).forEach((rule, ruleIndex) => {
    if (rule.mirror !== undefined) out.push({ destination: rule.mirror, routeRule: 'http.mirror', ruleIndex, destinationIndex: 0 });
    (rule.mirrors ?? []).forEach((m, i) => {
      if (m.destination !== undefined) out.push({ destination: m.destination, routeRule: 'http.mirror', ruleIndex, destinationIndex: i });
    });
  });
  return out;
}
