import type { Command } from 'commander';
import { ApiClient } from './client/api-client';
import { resolveAddress } from './client/address';
import type { CliIo } from './io';

/** Options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  addr?: string;
  stateDir?: string;
  namespace: string;
  output?: string;
}

/** What a command's action receives: the IO edges, the API client, and where to put its exit code. */
export class CommandContext {
  exitCode = 0;
  private client?: ApiClient;

  constructor(
    readonly io: CliIo,
    readonly now: () => Date = () => new Date(),
  ) {}

  api(globals: GlobalOptions): ApiClient {
    if (!this.client) {
      this.client = new ApiClient(resolveAddress({ addr: globals.addr, stateDir: globals.stateDir, env: this.io.env, cwd: this.io.cwd }));
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
