import { Command, CommanderError } from 'commander';
import { registerAnalyze } from './commands/analyze';
import { registerApply } from './commands/apply';
import { registerDelete } from './commands/delete';
import { registerDescribe } from './commands/describe';
import { registerGet } from './commands/get';
import { registerKubeInject } from './commands/kube-inject';
import { registerProxyConfig } from './commands/proxy-config';
import { registerProxyStatus } from './commands/proxy-status';
import { registerVersion } from './commands/version';
import { CommandContext } from './context';
import { formatError } from './errors';
import type { CliIo } from './io';

function buildProgram(ctx: CommandContext): Command {
  const program = new Command('trellis')
    .description('Trellis service mesh CLI (istioctl and kubectl habits)')
    .option('--addr <url>', 'control plane address (env TRELLIS_ADDR; default from <state-dir>/control-plane.json or http://127.0.0.1:15014)')
    .option('--state-dir <dir>', 'local state directory (env TRELLIS_STATE_DIR; default .trellis)')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('-o, --output <format>', 'output format')
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
  registerKubeInject(program, ctx);
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
