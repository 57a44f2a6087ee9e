import type { AccessLog, FileAccessLog, Received } from '@trellis/mesh-envoy';
import { CEL_ACCESS_LOG_FILTER_TYPE, FILE_ACCESS_LOG_TYPE } from '@trellis/mesh-envoy';
import { invalid } from '../config/proto';
import type { AccessLogSink } from '../http/access-log';
import { compileCelFilter } from './cel-filter';
import { compileFormat, type Formatter } from './format';
import type { LogRecord } from './log-record';
import type { AccessLogSinkFactory } from './sinks';

/** One `access_log` entry compiled: its filter, its format, where it writes. */
export interface CompiledAccessLog {
  readonly filter: ((r: LogRecord) => boolean) | undefined;
  readonly format: Formatter;
  readonly sink: AccessLogSink;
}

const DISCARD: AccessLogSinkFactory = () => ({ write: () => undefined });

type Filter = NonNullable<Received<AccessLog>['filter']>;

function compileFilter(f: Filter | undefined): CompiledAccessLog['filter'] {
  if (f === undefined) return undefined;
  const status = f.status_code_filter?.comparison;
  if (status !== undefined) {
    const v = status.value?.default_value ?? 0;
    const op = status.op ?? 'EQ';
    return op === 'GE' ? (r) => r.responseCode >= v : op === 'LE' ? (r) => r.responseCode <= v : (r) => r.responseCode === v;
  }
  const ext = f.extension_filter?.typed_config;
  if (ext === undefined) throw new Error(`filter: unsupported access log filter ${JSON.stringify(Object.keys(f))}`);
  if (ext['@type'] !== CEL_ACCESS_LOG_FILTER_TYPE) throw new Error(`filter: unsupported extension filter ${String(ext['@type'])}`);
  const expression = ext.expression ?? '';
  try {
    return compileCelFilter(expression);
  } catch (e) {
    throw new Error(`filter: CEL expression ${JSON.stringify(expression)}: ${(e as Error).message}`);
  }
}

/**
 * An HCM's or tcp_proxy's `access_log` compiled once (envoy.access_loggers.file only; its CEL or
 * status-code filter). Throws XDS_INVALID naming the entry and the reason (the config is NACKed).
 */
export function compileAccessLogs(resource: string, entries: readonly Received<AccessLog>[] | undefined, sinks: AccessLogSinkFactory = DISCARD): CompiledAccessLog[] {
  return (entries ?? []).map((entry, i) => {
    const at = `access_log[${i}]`;
    const typed = entry.typed_config as Received<Partial<FileAccessLog>> | undefined;
    if (typed?.['@type'] !== FILE_ACCESS_LOG_TYPE) throw invalid(resource, `${at} ${entry.name ?? ''}: unsupported access logger ${String(typed?.['@type'])}`);
    if (typeof typed.path !== 'string' || typed.path === '') throw invalid(resource, `${at}: FileAccessLog path is required`);
    try {
      return { filter: compileFilter(entry.filter), format: compileFormat(typed.log_format), sink: sinks(typed.path) };
    } catch (e) {
      throw invalid(resource, `${at}: ${(e as Error).message}`);
    }
  });
}

/** Writes one record to every access log whose filter passes. */
export function writeAccessLogs(logs: readonly CompiledAccessLog[], r: LogRecord): void {
  for (let i = 0; i < logs.length; i++) {
    const l = logs[i] as CompiledAccessLog;
    if (l.filter === undefined || l.filter(r)) l.sink.write(l.format(r));
  }
}
