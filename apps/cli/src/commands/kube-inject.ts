import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { TrellisError, errorMessage, isTrellisError } from '@trellis/shared';
import { DEFAULT_DISCOVERY_ADDRESS, InjectErrorCode, kubeInjectManifest } from '@trellis/mesh-inject';
import { globalsOf, type CommandContext } from '../context';
import { USAGE } from '../errors';
import { MANIFEST_INVALID, readStream } from '../manifest/read-manifests';

export const DEFAULT_KUBE_INJECT_PROXY_IMAGE = 'trellis/proxy:dev';

interface KubeInjectOptions {
  filename?: string;
  proxyImage: string;
  discoveryAddress: string;
}

async function readInput(name: string, ctx: CommandContext): Promise<string> {
  if (name === '-') return readStream(ctx.io.stdin);
  try {
    return await readFile(path.resolve(ctx.io.cwd, name), 'utf8');
  } catch {
    throw new TrellisError(MANIFEST_INVALID, `the path "${name}" cannot be read`, { path: name });
  }
}

function inject(text: string, source: string, opts: KubeInjectOptions): string {
  try {
    return kubeInjectManifest(text, { proxyImage: opts.proxyImage, discoveryAddress: opts.discoveryAddress });
  } catch (err) {
    if (!isTrellisError(err) || err.code !== InjectErrorCode.badManifest) throw err;
    const detail = typeof err.context['error'] === 'string' ? `: ${err.context['error'].split('\n')[0] ?? ''}` : '';
    throw new TrellisError(MANIFEST_INVALID, `error parsing ${source}: ${errorMessage(err)}${detail}`, { path: source });
  }
}

/**
 * `trellis kube-inject -f FILE|- [-o FILE]`: istioctl's offline injection. Workload pod templates
 * (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod) get the sidecar; every other
 * document is passed through. `-o` is the root `--output` option, read here as the output file.
 */
export function registerKubeInject(program: Command, ctx: CommandContext): void {
  program
    .command('kube-inject')
    .description('Inject the Trellis sidecar into Kubernetes workload manifests (offline; -o FILE writes to a file)')
    .option('-f, --filename <path>', 'input manifest file, or - for stdin')
    .option('--proxy-image <image>', 'sidecar and init container image', DEFAULT_KUBE_INJECT_PROXY_IMAGE)
    .option('--discovery-address <addr>', 'control plane xDS address', DEFAULT_DISCOVERY_ADDRESS)
    .action(async (opts: KubeInjectOptions, command: Command) => {
      if (!opts.filename) throw new TrellisError(USAGE, 'filename not specified (-f FILE or -f -)');
      const source = opts.filename === '-' ? 'STDIN' : opts.filename;
      const injected = inject(await readInput(opts.filename, ctx), source, opts);
      const output = globalsOf(command).output;
      if (output && output !== '-') await writeFile(path.resolve(ctx.io.cwd, output), injected);
      else ctx.out(injected);
    });
}
