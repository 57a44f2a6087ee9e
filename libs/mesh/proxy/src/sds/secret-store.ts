import type { ProxySecret, SecretProvider } from './secret-provider';

/** A secret as its owner writes it; the store stamps `versionInfo` and `lastUpdatedMs`. */
export type SecretInput = ProxySecret extends infer S ? (S extends ProxySecret ? Omit<S, 'versionInfo' | 'lastUpdatedMs'> : never) : never;

/**
 * An in-memory SecretProvider its owner writes into (the workload agent; tests). A write replaces the
 * secret atomically: readers see the old one until `set` returns, then the new one — nothing in
 * between, so a rotation never leaves a name empty.
 */
export class SecretStore implements SecretProvider {
  private readonly secrets = new Map<string, ProxySecret>();
  private readonly listeners = new Set<(name: string) => void>();
  private version = 0;

  constructor(private readonly now: () => number = Date.now) {}

  get(name: string): ProxySecret | undefined {
    return this.secrets.get(name);
  }

  list(): readonly ProxySecret[] {
    return [...this.secrets.values()];
  }

  /** Installs `secret` under its name with a new version; listeners hear of it after it is in force. */
  set(secret: SecretInput): ProxySecret {
    this.version++;
    const installed = { ...secret, versionInfo: String(this.version), lastUpdatedMs: this.now() } as ProxySecret;
    this.secrets.set(secret.name, installed);
    for (const listener of [...this.listeners]) listener(secret.name);
    return installed;
  }

  onChange(listener: (name: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
