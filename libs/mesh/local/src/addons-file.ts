/**
 * `<state>/addons.json`: which observability addons the running stack has and where (written as each
 * addon becomes ready, removed when the stack stops). `trellis dashboard` reads it; an addon that could
 * not start is listed under `missing` with the reason and the command that fixes it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AddonName } from './addon-services';

export const ADDONS_FILE = 'addons.json';

export interface RunningAddon {
  readonly name: AddonName;
  /** Base URL, e.g. `http://127.0.10.1:9090`. */
  readonly url: string;
}

export interface MissingAddon {
  readonly name: AddonName;
  readonly reason: string;
  /** What to run to have it next time (e.g. `apt-get install -y prometheus`). */
  readonly fix?: string;
}

export interface LocalAddons {
  readonly running: readonly RunningAddon[];
  readonly missing: readonly MissingAddon[];
}

/** Accumulates the stack's addons and rewrites the file on every change. */
export class AddonsFile {
  private running: RunningAddon[] = [];
  private missing: MissingAddon[] = [];

  constructor(private readonly stateDir: string) {}

  started(addon: RunningAddon): void {
    this.running = [...this.running.filter((a) => a.name !== addon.name), addon];
    this.write();
  }

  failed(addon: MissingAddon): void {
    this.missing = [...this.missing.filter((a) => a.name !== addon.name), addon];
    this.write();
  }

  remove(): void {
    rmSync(path.join(this.stateDir, ADDONS_FILE), { force: true });
  }

  private write(): void {
    const content: LocalAddons = { running: this.running, missing: this.missing };
    writeFileSync(path.join(this.stateDir, ADDONS_FILE), JSON.stringify(content, null, 2) + '\n');
  }
}

/** The running stack's addons, or undefined when no stack runs with this state dir. */
export function readLocalAddons(stateDir: string): LocalAddons | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(stateDir, ADDONS_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const parsed = JSON.parse(text) as Partial<LocalAddons>;
  return { running: parsed.running ?? [], missing: parsed.missing ?? [] };
}
