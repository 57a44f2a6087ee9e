import { readFileSync } from 'node:fs';
import { createLogger, shutdownOnSignals } from '@trellis/shared';
import { KubeClient } from '@trellis/mesh-kube';
import { renderToDisk } from './adapter/render';
import { ConfigReloader } from './adapter/config-reloader';
import { loadConfig } from './config';

const SA_NAMESPACE = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';

function serviceAccountNamespace(): string | undefined {
  try {
    return readFileSync(SA_NAMESPACE, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

// Kubernetes service discovery for a Prometheus built without it (docs/observability.md): prometheus.yml's
// kubernetes_sd_configs become file_sd_configs whose files this process keeps current from the API server.
async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2), process.env, serviceAccountNamespace());
  const logger = createLogger({ name: 'prometheus-sd', level: config.logLevel });
  const render = { configFile: config.configFile, outputFile: config.outputFile, targetsDir: config.targetsDir, namespace: config.namespace };
  if (config.once) {
    const { files, created } = await renderToDisk(render);
    logger.info(
      { config: config.configFile, output: config.outputFile, files: files.map((f) => ({ path: f.path, role: f.discovery.role, namespaces: f.discovery.namespaces, jobs: f.jobs })), created },
      'configuration rendered',
    );
    return;
  }
  const client = KubeClient.load(config.kubeconfig === undefined ? { type: 'default' } : { type: 'file', path: config.kubeconfig });
  const reloader = new ConfigReloader({ render, client, logger, reloadUrl: config.reloadUrl, pollMs: config.watchIntervalMs });
  await reloader.start();
  shutdownOnSignals([reloader], logger);
}

main().catch((err: unknown) => {
  createLogger({ name: 'prometheus-sd' }).fatal({ err }, 'prometheus-sd failed');
  process.exit(1);
});
