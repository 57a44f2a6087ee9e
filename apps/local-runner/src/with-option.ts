import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { SampleManifest } from '@trellis/mesh-local';

/** Istio's samples the local runner can start (`samples/<name>/…yaml`, Istio's paths; a list is applied in order). */
export const SAMPLES: Readonly<Record<string, string | readonly string[]>> = {
  httpbin: 'samples/httpbin/httpbin.yaml',
  fortio: 'samples/httpbin/sample-client/fortio-deploy.yaml',
  'httpbin-v1-v2': 'samples/httpbin/httpbin-v1-v2.yaml',
  sleep: 'samples/sleep/sleep.yaml',
  curl: 'samples/curl/curl.yaml',
  extauthz: 'samples/extauthz/ext-authz.yaml',
  'jwt-server': 'samples/jwt-server/jwt-server.yaml',
  // the rate-limit task's ConfigMap first, as the task applies it before the service
  ratelimit: ['samples/ratelimit/ratelimit-config.yaml', 'samples/ratelimit/rate-limit-service.yaml'],
};

/** One `--with` item: a Bookinfo variant (`mysql`) or a sample in a namespace, with or without its sidecar. */
export interface WithItem {
  readonly name: string;
  readonly namespace: string;
  readonly sidecar: boolean;
}

const ITEM = /^([a-z0-9-]+)(?:@([a-z0-9]([-a-z0-9]*[a-z0-9])?))?(:nosidecar)?$/;

function parseItem(raw: string, variants: readonly string[]): WithItem {
  const m = ITEM.exec(raw);
  const name = m?.[1] ?? '';
  const known = [...variants, ...Object.keys(SAMPLES)];
  if (m === null || !known.includes(name)) {
    throw new InvalidArgumentError(`unknown "${raw}" (known: ${known.join(', ')}; samples take @<namespace> and :nosidecar, e.g. sleep@legacy:nosidecar)`);
  }
  if (variants.includes(name) && (m[2] !== undefined || m[4] !== undefined)) {
    throw new InvalidArgumentError(`"${name}" is a Bookinfo variant: it runs in default with sidecars (no @namespace or :nosidecar)`);
  }
  return { name, namespace: m[2] ?? 'default', sidecar: m[4] === undefined };
}

const same = (a: WithItem, b: WithItem): boolean => a.name === b.name && a.namespace === b.namespace;

/**
 * Commander's parser for `--with a,b --with c`: comma-separated items, repeatable, each once per
 * namespace (the last one given wins, as a second `kubectl apply` would).
 */
export function parseWith(value: string, previous: readonly WithItem[], variants: readonly string[]): WithItem[] {
  const items = value.split(',').map((v) => v.trim()).filter((v) => v !== '').map((v) => parseItem(v, variants));
  if (items.length === 0) throw new InvalidArgumentError('expected a variant or sample, e.g. --with httpbin,sleep');
  return items.reduce<WithItem[]>((acc, item) => [...acc.filter((a) => !same(a, item)), item], [...previous]);
}

/** The sample manifests to apply, in the order given. */
export function sampleManifests(items: readonly WithItem[], repoRoot: string): SampleManifest[] {
  return items.flatMap((i) => {
    const files = SAMPLES[i.name] ?? [];
    return (typeof files === 'string' ? [files] : files).map((file) => ({ file: path.join(repoRoot, file), namespace: i.namespace, sidecar: i.sidecar }));
  });
}
