import type { Command } from 'commander';
import { HttpBackend } from './client/api-client';
import type { MeshBackend } from './client/backend';
import { KubeBackend } from './client/kube-backend';
import { resolveTarget } from './client/target';
import type { CliIo } from './io';

/** Options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  addr?: string;
  stateDir?: string;
  kubeconfig?: string;
  context?: string;
  istiodAddr?: string;
  istioNamespace?: string;
  namespace: string;
  output?: string;
}

/** What a command's action receives: the IO edges, the mesh backend, and where to put its exit code. */
export class CommandContext {
  exitCode = 0;
  private client?: MeshBackend;

  constructor(
    readonly io: CliIo,
    readonly now: () => Date = () => new Date(),
  ) {}

  /** The backend picked by resolveTarget (local control plane or cluster), created on first use. */
  api(globals: GlobalOptions): MeshBackend {
    if (!this.client) {
      const target = resolveTarget({ ...globals, env: this.io.env, cwd: this.io.cwd });
      this.client = target.type === 'local' ? new HttpBackend(target.address) : new KubeBackend(target);
    }
    return this.client;
  }

  out(text: string): void {
    this.io.stdout.write(text);
  }

  lines(lines: readonly string[]): void {
    if (lines.length > 0) this.io.stdout.write(lines.join('\n') + '\n');
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}

export function globalsOf(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/** Commander's collector for repeatable options (`-f a -f b`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
