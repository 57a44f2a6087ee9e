import type { RbacInput } from './input';

/**
 * A compiled Permission or Principal: `test` is the hot path (closures only, nothing allocated);
 * `why` (called only when `test` failed) and `whyNot` (only when it matched, for `not_rule`/`not_id`)
 * build the user-facing reason `explain` prints.
 */
export interface Cond {
  readonly test: (input: RbacInput) => boolean;
  readonly why: (input: RbacInput) => string;
  readonly whyNot: (input: RbacInput) => string;
  /** Set on single-value matchers so an `or` of the same subject reads `method POST not in [GET, HEAD]`. */
  readonly leaf?: Leaf;
}

/** One matcher on one request attribute. */
export interface Leaf {
  /** `method`, `path`, `header x-user`, `principal`, `source ip`, `request.auth.claims[aud]` … */
  readonly subject: string;
  /** `in` for enumerations (methods, ports), `match` for patterns. */
  readonly verb: 'in' | 'match';
  /** What the matcher wants, as a user wrote it. */
  readonly want: string;
  /** The request's value as shown; undefined when the request has none (then `missing`). */
  actual(input: RbacInput): string | undefined;
  missing(input: RbacInput): string;
}

const NEGATIVE = { in: 'not in', match: 'does not match' } as const;
const POSITIVE = { in: 'is in excluded', match: 'matches excluded' } as const;

function leafWhy(leaf: Leaf, input: RbacInput, wants: string): string {
  const actual = leaf.actual(input);
  return actual === undefined ? leaf.missing(input) : `${leaf.subject} ${actual} ${NEGATIVE[leaf.verb]} [${wants}]`;
}

function leafWhyNot(leaf: Leaf, input: RbacInput, wants: string): string {
  const actual = leaf.actual(input);
  return `${leaf.subject} ${actual ?? '(absent)'} ${POSITIVE[leaf.verb]} [${wants}]`;
}

export function leafCond(leaf: Leaf, test: (input: RbacInput) => boolean): Cond {
  return { test, leaf, why: (i) => leafWhy(leaf, i, leaf.want), whyNot: (i) => leafWhyNot(leaf, i, leaf.want) };
}

/** `any`. Under a not_rule/not_id it is istiod's never-matching policy (`spec: {}`, allow-nothing). */
export const ANY: Cond = { test: () => true, why: () => 'never fails', whyNot: () => 'the policy matches nothing (it has no rules)' };

/** All of `conds` (an empty list matches, as Envoy's AndMatcher). */
export function andCond(conds: readonly Cond[]): Cond {
  const test = (i: RbacInput): boolean => {
    for (let k = 0; k < conds.length; k++) if (!conds[k].test(i)) return false;
    return true;
  };
  const why = (i: RbacInput): string => conds.find((c) => !c.test(i))?.why(i) ?? 'matched';
  const whyNot = (i: RbacInput): string => conds.map((c) => c.whyNot(i)).join(' and ');
  return { test, why, whyNot };
}

/** The subject all `conds` share, when each is a single matcher on it. */
function sameSubject(conds: readonly Cond[]): Leaf | undefined {
  const first = conds[0]?.leaf;
  if (first === undefined) return undefined;
  return conds.every((c) => c.leaf?.subject === first.subject && c.leaf.verb === first.verb) ? first : undefined;
}

function dedupe(values: readonly string[]): string {
  return [...new Set(values)].join(', ');
}

/** Any of `conds` (an empty list matches nothing). */
export function orCond(conds: readonly Cond[]): Cond {
  if (conds.length === 1) return conds[0];
  const test = (i: RbacInput): boolean => {
    for (let k = 0; k < conds.length; k++) if (conds[k].test(i)) return true;
    return false;
  };
  const shared = sameSubject(conds);
  if (shared !== undefined) {
    const wants = dedupe(conds.map((c) => c.leaf?.want ?? ''));
    const leaf: Leaf = { ...shared, want: wants, actual: shared.actual, missing: shared.missing };
    return { test, leaf, why: (i) => leafWhy(shared, i, wants), whyNot: (i) => leafWhyNot(shared, i, wants) };
  }
  const why = (i: RbacInput): string => (conds.length === 0 ? 'empty rule list' : `none of: ${conds.map((c) => c.why(i)).join('; ')}`);
  const whyNot = (i: RbacInput): string => conds.find((c) => c.test(i))?.whyNot(i) ?? 'matched';
  return { test, why, whyNot };
}

/** `not_rule` / `not_id`: matches when `inner` does not; the reasons swap. */
export function notCond(inner: Cond): Cond {
  return { test: (i) => !inner.test(i), why: inner.whyNot, whyNot: inner.why };
}
