/**
 * prometheus.yml in, prometheus.yml out: every `kubernetes_sd_configs` entry becomes a `file_sd_configs` entry
 * naming a JSON file the adapter keeps current; everything else (relabelling, TLS, intervals, rule files) is
 * left exactly as written. Equal discoveries (role, namespaces, selectors) share one file.
 */
import { TrellisError } from '@trellis/shared';
import { parse, stringify } from 'yaml';
import { discoveryKey, parseKubeDiscovery, type KubeDiscovery } from './discovery';

export const PROMETHEUS_CONFIG_INVALID = 'PROMETHEUS_CONFIG_INVALID';

export interface RewriteOptions {
  /** The directory the target files live in (as Prometheus sees it). */
  targetDir: string;
  /** The adapter's namespace, for `namespaces.own_namespace`. */
  ownNamespace?: string;
  /** Where the input came from, for the rendered file's header and errors. */
  source: string;
}

export interface TargetFile {
  /** Absolute path of the file_sd JSON file. */
  path: string;
  discovery: KubeDiscovery;
  /** The jobs reading it. */
  jobs: string[];
}

export interface RenderedConfig {
  text: string;
  files: TargetFile[];
}

type Mapping = Record<string, unknown>;
const isRecord = (v: unknown): v is Mapping => v !== null && typeof v === 'object' && !Array.isArray(v);

function parseConfig(text: string, source: string): Mapping {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new TrellisError(PROMETHEUS_CONFIG_INVALID, `${source}: not valid YAML`, { source }, { cause: err });
  }
  if (doc === null || doc === undefined) return {};
  if (!isRecord(doc)) throw new TrellisError(PROMETHEUS_CONFIG_INVALID, `${source}: the configuration should be a mapping`, { source });
  return doc;
}

class FileTable {
  readonly files = new Map<string, TargetFile>();
  private readonly perRole = new Map<string, number>();
  constructor(private readonly dir: string) {}

  fileFor(discovery: KubeDiscovery, job: string): string {
    const key = discoveryKey(discovery);
    const existing = this.files.get(key);
    if (existing !== undefined) {
      if (!existing.jobs.includes(job)) existing.jobs.push(job);
      return existing.path;
    }
    const n = this.perRole.get(discovery.role) ?? 0;
    this.perRole.set(discovery.role, n + 1);
    const path = `${this.dir.replace(/\/+$/, '')}/${discovery.role}_${n}.json`;
    this.files.set(key, { path, discovery, jobs: [job] });
    return path;
  }
}

function rewriteJob(job: Mapping, index: number, table: FileTable, options: RewriteOptions): Mapping {
  const entries = job['kubernetes_sd_configs'];
  if (entries === undefined) return job;
  const name = typeof job['job_name'] === 'string' ? job['job_name'] : `#${index}`;
  if (!Array.isArray(entries)) {
    throw new TrellisError(PROMETHEUS_CONFIG_INVALID, `scrape_configs job "${name}": kubernetes_sd_configs should be a list`, { job: name, field: 'kubernetes_sd_configs' });
  }
  const fileSd = entries.map((raw: unknown, i) => ({ files: [table.fileFor(parseKubeDiscovery(raw, { job: name, index: i }, options.ownNamespace), name)] }));
  const out: Mapping = {};
  for (const [k, v] of Object.entries(job)) {
    if (k === 'kubernetes_sd_configs') out['file_sd_configs'] = [...(Array.isArray(job['file_sd_configs']) ? (job['file_sd_configs'] as unknown[]) : []), ...fileSd];
    else if (k !== 'file_sd_configs') out[k] = v;
  }
  return out;
}

/** Render `text` (Prometheus's configuration) for a Prometheus without Kubernetes discovery. */
export function renderConfig(text: string, options: RewriteOptions): RenderedConfig {
  const config = parseConfig(text, options.source);
  const jobs = config['scrape_configs'] ?? [];
  if (!Array.isArray(jobs)) throw new TrellisError(PROMETHEUS_CONFIG_INVALID, `${options.source}: scrape_configs should be a list`, { source: options.source, field: 'scrape_configs' });
  const table = new FileTable(options.targetDir);
  const rewritten = jobs.map((job: unknown, i) => (isRecord(job) ? rewriteJob(job, i, table, options) : job));
  const out: Mapping = { ...config };
  if (config['scrape_configs'] !== undefined) out['scrape_configs'] = rewritten;
  const header = [
    `# Rendered by prometheus-sd from ${options.source}: each kubernetes_sd_configs entry is a file_sd_configs entry`,
    '# whose file carries the __meta_kubernetes_* labels Prometheus 2.42 would discover (apps/prometheus-sd).',
  ].join('\n');
  return { text: `${header}\n${stringify(out, { lineWidth: 0 })}`, files: [...table.files.values()] };
}
