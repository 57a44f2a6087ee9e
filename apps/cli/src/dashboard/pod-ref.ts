/**
 * Which pod `trellis dashboard envoy|controlz` means, as istioctl reads it: `[<type>/]<name>[.<namespace>]`
 * (type `pod` or `deployment`) or `-l/--selector`, exactly one of them. Pure.
 */
import { TrellisError } from '@trellis/shared';
import { USAGE } from '../errors';

export type PodRef =
  | { readonly kind: 'pod' | 'deployment'; readonly name: string; readonly namespace: string }
  | { readonly kind: 'selector'; readonly selector: string; readonly namespace: string };

const KINDS: Readonly<Record<string, 'pod' | 'deployment'>> = { pod: 'pod', pods: 'pod', po: 'pod', deployment: 'deployment', deployments: 'deployment', deploy: 'deployment' };

function parseName(arg: string, namespace: string): PodRef {
  const slash = arg.indexOf('/');
  const type = slash < 0 ? 'pod' : arg.slice(0, slash).toLowerCase();
  const kind = KINDS[type];
  if (kind === undefined) throw new TrellisError(USAGE, `unsupported resource type "${type}": use pod/<name> or deployment/<name>`, { arg });
  const rest = slash < 0 ? arg : arg.slice(slash + 1);
  const dot = rest.lastIndexOf('.');
  const name = dot < 0 ? rest : rest.slice(0, dot);
  if (name === '') throw new TrellisError(USAGE, `invalid pod "${arg}": expected [<type>/]<name>[.<namespace>]`, { arg });
  return { kind, name, namespace: dot < 0 ? namespace : rest.slice(dot + 1) };
}

/** istioctl's checks: a name or a selector, not both, not neither. */
export function podRef(arg: string | undefined, selector: string | undefined, namespace: string): PodRef {
  if (arg !== undefined && selector !== undefined) throw new TrellisError(USAGE, 'name cannot be provided when a selector is specified');
  if (selector !== undefined) return { kind: 'selector', selector, namespace };
  if (arg === undefined) throw new TrellisError(USAGE, 'specify a pod or --selector');
  return parseName(arg, namespace);
}

/** `app=ratings,version=v1` (equality terms, as the local registry can match them) → its labels. */
export function selectorLabels(selector: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const term of selector.split(',').map((t) => t.trim()).filter((t) => t !== '')) {
    const [, key, value] = /^([^=!\s]+)\s*==?\s*([^=!\s]*)$/.exec(term) ?? [];
    if (key === undefined || value === undefined) throw new TrellisError(USAGE, `unsupported label selector term "${term}" (local mode matches key=value terms)`, { selector });
    labels[key] = value;
  }
  return labels;
}

export function matchesLabels(labels: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}
