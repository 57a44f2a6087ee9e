/**
 * Settings from flags over environment variables over defaults, read once in main.ts:
 *   --config.file      Prometheus's configuration as written (Istio's ConfigMap)      /etc/config/prometheus.yml
 *   --output.file      the rendered configuration Prometheus is started with          /etc/prometheus-sd/prometheus.yml
 *   --targets.dir      where the file_sd JSON files are kept                          /etc/prometheus-sd/targets
 *   --namespace        the namespace `own_namespace` means (POD_NAMESPACE, else the service account's)
 *   --kubeconfig       credentials (KUBECONFIG, ~/.kube/config, else the pod's service account)
 *   --once             render the configuration (and empty target files), then exit: the init container
 *   --reload.url       after --config.file changed and was rendered again, POST here     http://127.0.0.1:9090/-/reload
 *                      (`none`: do not)
 *   --watch.interval   how often --config.file is read for changes, in seconds           5
 */
import { envOptional, parseLogLevel, TrellisError, type Env } from '@trellis/shared';
import type { LevelWithSilent } from 'pino';

export interface SdConfig {
  readonly configFile: string;
  readonly outputFile: string;
  readonly targetsDir: string;
  readonly namespace: string | undefined;
  readonly kubeconfig: string | undefined;
  readonly once: boolean;
  readonly reloadUrl: string | undefined;
  readonly watchIntervalMs: number;
  readonly logLevel: LevelWithSilent;
}

const USAGE =
  'usage: prometheus-sd [--config.file FILE] [--output.file FILE] [--targets.dir DIR] [--namespace NS] [--kubeconfig FILE] [--reload.url URL|none] [--watch.interval SECONDS] [--once]';
const VALUE_FLAGS = ['--config.file', '--output.file', '--targets.dir', '--namespace', '--kubeconfig', '--reload.url', '--watch.interval'] as const;
type ValueFlag = (typeof VALUE_FLAGS)[number];

function readFlags(argv: readonly string[]): { values: Map<ValueFlag, string>; once: boolean } {
  const values = new Map<ValueFlag, string>();
  let once = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--once') {
      once = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!(VALUE_FLAGS as readonly string[]).includes(name)) throw new TrellisError('INVALID_ARGUMENT', USAGE, { argument: arg });
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '') throw new TrellisError('INVALID_ARGUMENT', `${name} needs a value; ${USAGE}`, { argument: name });
    values.set(name as ValueFlag, value);
  }
  return { values, once };
}

/** `serviceAccountNamespace` is the content of the pod's namespace file, when there is one. */
export function loadConfig(argv: readonly string[], env: Env, serviceAccountNamespace: string | undefined): SdConfig {
  const { values, once } = readFlags(argv);
  const reloadUrl = values.get('--reload.url') ?? 'http://127.0.0.1:9090/-/reload';
  const interval = values.get('--watch.interval') ?? '5';
  if (!/^\d+$/.test(interval) || Number(interval) < 1) throw new TrellisError('CONFIG_INVALID', '--watch.interval should be a whole number of seconds, at least 1', { 'watch.interval': interval });
  return {
    configFile: values.get('--config.file') ?? '/etc/config/prometheus.yml',
    outputFile: values.get('--output.file') ?? '/etc/prometheus-sd/prometheus.yml',
    targetsDir: values.get('--targets.dir') ?? '/etc/prometheus-sd/targets',
    namespace: values.get('--namespace') ?? envOptional(env, 'POD_NAMESPACE') ?? serviceAccountNamespace,
    kubeconfig: values.get('--kubeconfig'),
    once,
    reloadUrl: reloadUrl === 'none' ? undefined : reloadUrl,
    watchIntervalMs: Number(interval) * 1000,
    logLevel: parseLogLevel(env['LOG_LEVEL']),
  };
}
