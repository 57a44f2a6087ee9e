import type { MeshSnapshot, ProxyInfo } from '@trellis/mesh-api';
import type { XdsResources } from '@trellis/mesh-envoy';
import { translateGrpc } from './grpc-flavour';
import { diffSnapshots } from './snapshot-change';
import { KeyIds, SnapshotMemo } from './snapshot-memo';
import { translateOptions, type TranslateOptions } from './translate-options';

/**
 * A memoising, incremental `translate`. Within one snapshot, the group context (service models,
 * visible and imported config) is built once per proxy kind, namespace and Sidecar, the outbound
 * resources once per group and — only when some config selects by workload labels — label set,
 * and proxies with equal inputs get the very same result object. Across snapshots, the change
 * (snapshot-change.ts) decides which groups to translate again: a proxy the change cannot reach
 * gets its previous result object, and retranslated resources equal to the previous ones keep
 * their identity. Output is always equal to `translate`.
 */
export function createTranslator(options: Partial<TranslateOptions> = {}): (snapshot: MeshSnapshot, proxy: ProxyInfo) => XdsResources {
  const resolved = translateOptions(options);
  const ids = new KeyIds();
  let current: SnapshotMemo | undefined;
  return (snapshot, proxy) => {
    if (proxy.generator === 'grpc') return translateGrpc(snapshot, proxy);
    if (current === undefined) current = new SnapshotMemo(snapshot, resolved, ids);
    else if (current.snapshot !== snapshot) {
      const previous = current;
      previous.forgetHistory();
      current = new SnapshotMemo(snapshot, resolved, ids, { memo: previous, change: diffSnapshots(previous.snapshot, snapshot) });
    }
    return current.translate(proxy);
  };
}
