import type { HTTPRoute } from '../../types';
import { refOf, virtualServiceIneffectiveMatch, virtualServiceUnreachableRule, type AnalysisMessage, type ResourceRef } from '../messages';
import type { AnalysisContext } from './context';

/** Istio's `routeName`: the quoted rule name, else `#<index>`. */
const ruleName = (rule: HTTPRoute, index: number): string =>
  rule.name !== undefined && rule.name !== '' ? JSON.stringify(rule.name) : `#${index}`;

const matchName = (m: { name?: string }, index: number): string =>
  m.name !== undefined && m.name !== '' ? JSON.stringify(m.name) : `#${index}`;

/** A rule matches everything when it has no match, or one of its matches is empty. */
const isCatchAll = (rule: HTTPRoute): boolean =>
  rule.match === undefined || rule.match.length === 0 || rule.match.some((m) => Object.keys(m).filter((k) => k !== 'name').length === 0);

/** JSON of a match without its name, keys sorted: equal strings = identical conditions. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([k]) => k !== 'name').sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function analyzeRules(r: ResourceRef, rules: readonly HTTPRoute[]): AnalysisMessage[] {
  const out: AnalysisMessage[] = [];
  const seenMatches = new Map<string, string>();
  let catchAll: string | undefined;
  rules.forEach((rule, i) => {
    const name = ruleName(rule, i);
    if (catchAll !== undefined) {
      const reason = isCatchAll(rule) ? 'only the last rule can have no matches' : `rule ${catchAll} matches every request`;
      out.push(virtualServiceUnreachableRule(r, name, reason));
      return;
    }
    (rule.match ?? []).forEach((m, j) => {
      const key = canonical(m);
      const dup = seenMatches.get(key);
      if (dup !== undefined) out.push(virtualServiceIneffectiveMatch(r, name, matchName(m, j), dup));
      else seenMatches.set(key, name);
    });
    if (isCatchAll(rule)) catchAll = name;
  });
  return out;
}

/** IST0130 for HTTP rules after a catch-all rule; IST0131 for matches repeated from an earlier rule. */
export function analyzeUnreachableRules(ctx: AnalysisContext): AnalysisMessage[] {
  return ctx.virtualServices.flatMap((vs) => analyzeRules(refOf(vs), vs.spec.http ?? []));
}
