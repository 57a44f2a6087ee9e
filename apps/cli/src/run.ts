import { Command, CommanderError } from 'commander';
import { registerAnalyze } from './commands/analyze';
import { registerApply } from './commands/apply';
import { registerAuthz } from './commands/authz';
import { registerDashboard } from './commands/dashboard';
import { registerDelete } from './commands/delete';
import { registerDescribe } from './commands/describe';
import { registerExec } from './commands/exec';
import { registerGet } from './commands/get';
import { registerInstall, registerUninstall } from './commands/install';
import { registerKubeInject } from './commands/kube-inject';
import { registerManifest } from './commands/manifest';
import { registerProxyConfig } from './commands/proxy-config';
import { registerProxyStatus } from './commands/proxy-status';
import { registerVerifyInstall } from './commands/verify-install';
import { registerVersion } from './commands/version';
import { registerRoute } from './commands/x-route';
import { CommandContext } from './context';
import { formatError } from './errors';
import type { CliIo } from './io';

const TARGET_HELP = `
Target (first match wins; see docs/cli.md):
  1. --addr                          the local control plane's HTTP API
  2. --kubeconfig or --context       the cluster (kubeconfig), like istioctl/kubectl
  3. TRELLIS_TARGET=local|kube       that backend
  4. TRELLIS_ADDR, or <state-dir>/control-plane.json exists   the local control plane
  5. a kubeconfig exists (first KUBECONFIG entry, else ~/.kube/config)   the cluster
  6. otherwise                       the local control plane at http://127.0.0.1:15014
In cluster mode proxy-status, proxy-config and version reach istiod through
/api/v1/namespaces/<istio-namespace>/services/istiod:15014/proxy (or --istiod-addr).
`;

function buildProgram(ctx: CommandContext): Command {
  const program = new Command('trellis')
    .description('Trellis service mesh CLI (istioctl and kubectl habits)')
    .option('--addr <url>', 'local control plane address (env TRELLIS_ADDR; default from <state-dir>/control-plane.json or http://127.0.0.1:15014)')
    .option('--state-dir <dir>', 'local state directory (env TRELLIS_STATE_DIR; default .trellis)')
    .option('--kubeconfig <file>', 'use the cluster of this kubeconfig (default: env KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: its current context)')
    .option('--istiod-addr <url>', 'cluster mode: control plane debug address instead of the API server service proxy (env TRELLIS_ISTIOD_ADDR)')
    .option('-i, --istio-namespace <ns>', 'cluster mode: namespace of the istiod Service', 'istio-system')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('-o, --output <format>', 'output format')
    .addHelpText('after', TARGET_HELP)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    });
  registerApply(program, ctx);
  registerDelete(program, ctx);
  registerGet(program, ctx);
  registerAnalyze(program, ctx);
  registerProxyStatus(program, ctx);
  registerProxyConfig(program, ctx);
  registerDescribe(program, ctx);
  registerExec(program, ctx);
  registerAuthz(program, ctx);
  registerRoute(program, ctx);
  registerDashboard(program, ctx);
  registerKubeInject(program, ctx);
  registerInstall(program, ctx);
  registerUninstall(program, ctx);
  registerManifest(program, ctx);
  registerVerifyInstall(program, ctx);
  registerVersion(program, ctx);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the process exit code. */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const ctx = new CommandContext(io);
  try {
    await buildProgram(ctx).parseAsync(argv, { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    const formatted = formatError(err);
    io.stderr.write(formatted.lines.join('\n') + '\n');
    return formatted.exitCode;
  } finally {
    await ctx.close();
  }
}
