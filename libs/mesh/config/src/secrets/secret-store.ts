import { formatValidationError, redactSecret, tlsCredentialOf, validateSecrets, type KubeSecret, type TlsCredential } from '@trellis/mesh-api';
import { canonicalJson, deepFreeze, TrellisError } from '@trellis/shared';
import type { ApplyAction, DeleteAction } from '../store/config-store';
import type { CredentialSource } from './credential-source';

export interface SecretResult {
  kind: 'Secret';
  apiVersion: 'v1';
  namespace: string;
  name: string;
  action: ApplyAction | DeleteAction;
}

const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * Kubernetes Secrets kept by the control plane in local mode (a cluster keeps them itself): applied
 * with `trellis apply -f` in `kubectl create secret … -o yaml`'s shape, read back only redacted.
 * Writes are validated first and all-or-nothing, like the config store's.
 */
export class MemorySecretStore implements CredentialSource {
  protected readonly secrets = new Map<string, KubeSecret>();
  private readonly listeners = new Set<() => void>();
  private decoded: readonly TlsCredential[] = [];
  private version = 0;

  credentials(): readonly TlsCredential[] {
    return this.decoded;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Redacted copies (values replaced), sorted by namespace/name. */
  list(namespace?: string): KubeSecret[] {
    return [...this.secrets.values()].filter((s) => namespace === undefined || s.metadata.namespace === namespace).map(redactSecret);
  }

  get(namespace: string, name: string): KubeSecret | undefined {
    const s = this.secrets.get(keyOf(namespace, name));
    return s === undefined ? undefined : redactSecret(s);
  }

  /** Throws VALIDATION_FAILED naming Secret, namespace/name and `data.<key>` on bad input. */
  validate(objects: readonly unknown[], namespace: string): KubeSecret[] {
    const { valid, errors } = validateSecrets(objects, namespace);
    if (errors.length > 0) throw new TrellisError('VALIDATION_FAILED', `${errors.length} validation error(s): ${errors.map(formatValidationError).join('; ')}`, { details: errors });
    return valid;
  }

  async apply(valid: readonly KubeSecret[]): Promise<SecretResult[]> {
    const results: SecretResult[] = [];
    const writes: KubeSecret[] = [];
    for (const s of valid) {
      const ns = s.metadata.namespace ?? 'default';
      const previous = this.secrets.get(keyOf(ns, s.metadata.name));
      const same = previous !== undefined && canonicalJson(content(previous)) === canonicalJson(content(s));
      results.push({ kind: 'Secret', apiVersion: 'v1', namespace: ns, name: s.metadata.name, action: same ? 'unchanged' : previous === undefined ? 'created' : 'configured' });
      if (!same) writes.push(deepFreeze({ ...s, metadata: { ...s.metadata, namespace: ns, resourceVersion: String(++this.version), creationTimestamp: previous?.metadata.creationTimestamp ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') } }));
    }
    await this.persist(writes, []);
    for (const s of writes) this.secrets.set(keyOf(s.metadata.namespace ?? 'default', s.metadata.name), s);
    if (writes.length > 0) this.changed();
    return results;
  }

  async delete(refs: readonly { namespace: string; name: string }[]): Promise<SecretResult[]> {
    const found = refs.map((r) => this.secrets.get(keyOf(r.namespace, r.name)));
    const gone = found.filter((s): s is KubeSecret => s !== undefined);
    await this.persist([], gone);
    for (const s of gone) this.secrets.delete(keyOf(s.metadata.namespace ?? 'default', s.metadata.name));
    if (gone.length > 0) this.changed();
    return refs.map((r, i) => ({ kind: 'Secret', apiVersion: 'v1', namespace: r.namespace, name: r.name, action: found[i] === undefined ? 'not found' : 'deleted' }));
  }

  /** Durably record writes and deletions before they become visible. Memory store: nothing to do. */
  protected persist(_writes: readonly KubeSecret[], _deletes: readonly KubeSecret[]): Promise<void> {
    return Promise.resolve();
  }

  protected load(s: KubeSecret): void {
    this.secrets.set(keyOf(s.metadata.namespace ?? 'default', s.metadata.name), deepFreeze(s));
    this.version = Math.max(this.version, Number(s.metadata.resourceVersion) || 0);
    this.decode();
  }

  private changed(): void {
    this.decode();
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // A failing listener must not fail the write that already happened.
      }
    }
  }

  private decode(): void {
    const list = [...this.secrets.values()].map(tlsCredentialOf).filter((c): c is TlsCredential => c !== undefined);
    this.decoded = Object.freeze(list.sort((a, b) => keyOf(a.namespace, a.name).localeCompare(keyOf(b.namespace, b.name))));
  }
}

function content(s: KubeSecret): unknown {
  return { type: s.type ?? '', data: s.data ?? {}, stringData: s.stringData ?? {}, labels: s.metadata.labels ?? {} };
}
