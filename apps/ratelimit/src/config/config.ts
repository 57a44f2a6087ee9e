import { TrellisError } from '@trellis/shared';
import { parseAllDocuments } from 'yaml';

/**
 * envoyproxy/ratelimit's configuration (one YAML file per domain, the `ratelimit-config` ConfigMap):
 *
 *   domain: productpage-ratelimit
 *   descriptors:
 *     - key: PATH
 *       value: "/productpage"
 *       rate_limit: { unit: minute, requests_per_unit: 1 }
 *     - key: PATH                       # no value: any other value of PATH
 *       rate_limit: { unit: minute, requests_per_unit: 100 }
 *       descriptors: [ ... ]            # nested: the next entry of the request's descriptor
 *
 * Checked as the Go service checks it (config_impl.go): known keys only, a key on every descriptor,
 * no duplicate key/value at one level, a known unit, one domain per file and per service. A bad file
 * fails loading with a `RATELIMIT_CONFIG` error naming the file and what is wrong.
 */
export const UNITS = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800, month: 2592000, year: 31536000 } as const;
export type Unit = keyof typeof UNITS;

export interface RateLimit {
  readonly unit: Unit;
  readonly requestsPerUnit: number;
  readonly unlimited: boolean;
  readonly name: string | undefined;
  readonly shadowMode: boolean;
}

/** One level of the descriptor tree, by `key_value` (a value given) or `key` (any value). */
export interface DescriptorNode {
  readonly limit: RateLimit | undefined;
  readonly children: ReadonlyMap<string, DescriptorNode>;
}

export interface DomainConfig {
  readonly domain: string;
  readonly file: string;
  readonly root: ReadonlyMap<string, DescriptorNode>;
}

const VALID_KEYS = new Set(['domain', 'key', 'value', 'descriptors', 'rate_limit', 'unit', 'requests_per_unit', 'unlimited', 'name', 'replaces', 'shadow_mode', 'detailed_metric']);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function fail(file: string, reason: string): TrellisError {
  return new TrellisError('RATELIMIT_CONFIG', `config error, file: ${file}, ${reason}`, { file });
}

function checkKeys(file: string, o: Obj): void {
  for (const k of Object.keys(o)) if (!VALID_KEYS.has(k)) throw fail(file, `invalid key: ${k}`);
}

function rateLimit(file: string, at: string, v: unknown): RateLimit | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) throw fail(file, `${at}.rate_limit must be a map`);
  checkKeys(file, v);
  const unlimited = v['unlimited'] === true;
  const unit = String(v['unit'] ?? '').toLowerCase();
  if (!unlimited && !(unit in UNITS)) throw fail(file, `invalid rate limit unit '${String(v['unit'] ?? '')}' at ${at}`);
  const rpu = Number(v['requests_per_unit'] ?? 0);
  if (!unlimited && (!Number.isInteger(rpu) || rpu < 0)) throw fail(file, `invalid requests_per_unit '${String(v['requests_per_unit'])}' at ${at}`);
  const name = typeof v['name'] === 'string' ? v['name'] : undefined;
  return { unit: (unlimited ? 'second' : unit) as Unit, requestsPerUnit: rpu, unlimited, name, shadowMode: false };
}

function level(file: string, at: string, list: unknown): Map<string, DescriptorNode> {
  const out = new Map<string, DescriptorNode>();
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw fail(file, `${at}.descriptors must be a list`);
  list.forEach((d: unknown, i) => {
    const here = `${at}.descriptors[${i}]`;
    if (!isObj(d)) throw fail(file, `${here} must be a map`);
    checkKeys(file, d);
    const key = d['key'];
    if (typeof key !== 'string' || key === '') throw fail(file, `descriptor has empty key at ${here}`);
    const value = d['value'] === undefined || d['value'] === null ? '' : String(d['value']);
    const composite = value === '' ? key : `${key}_${value}`;
    if (out.has(composite)) throw fail(file, `duplicate descriptor composite key '${composite}' at ${here}`);
    const limit = rateLimit(file, here, d['rate_limit']);
    out.set(composite, { limit: limit && d['shadow_mode'] === true ? { ...limit, shadowMode: true } : limit, children: level(file, here, d['descriptors']) });
  });
  return out;
}

/** The domains of one file's YAML text. */
export function parseConfigFile(file: string, text: string): DomainConfig[] {
  const docs = parseAllDocuments(text);
  const out: DomainConfig[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) throw fail(file, `error loading config file: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
    const v: unknown = doc.toJS();
    if (v === null || v === undefined) continue;
    if (!isObj(v)) throw fail(file, 'the config must be a map');
    checkKeys(file, v);
    const domain = v['domain'];
    if (typeof domain !== 'string' || domain === '') throw fail(file, 'config file cannot have empty domain');
    out.push({ domain, file, root: level(file, 'descriptors', v['descriptors']) });
  }
  return out;
}

/** Every file's domains, by domain; a domain in two files is an error (the Go service refuses it too). */
export function mergeDomains(configs: readonly DomainConfig[]): ReadonlyMap<string, DomainConfig> {
  const out = new Map<string, DomainConfig>();
  for (const c of configs) {
    const seen = out.get(c.domain);
    if (seen !== undefined) throw fail(c.file, `duplicate domain '${c.domain}' in config file (also in ${seen.file})`);
    out.set(c.domain, c);
  }
  return out;
}
