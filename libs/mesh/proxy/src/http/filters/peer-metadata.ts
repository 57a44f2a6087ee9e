import type { OutgoingHttpHeaders } from 'node:http';
import { ISTIO_PEER_METADATA_MESSAGE, type PeerMetadataConfig, type PeerMetadataMethod, type Received, TYPE_PREFIX } from '@trellis/mesh-envoy';
import type { TypedConfig } from '../../config/envoy-types';
import { invalid } from '../../config/proto';
import { PEER_METADATA_HEADER, PEER_METADATA_ID_HEADER, decodePeerMetadata, encodePeerMetadata } from '../../stats/peer-metadata-codec';
import { type WorkloadInfo, localWorkload } from '../../stats/workload';
import type { ProxyNode } from '../../proxy-node';
import type { Exchange } from '../exchange';
import type { FilterStatus, HttpFilter, HttpFilterFactory } from '../filter';

/**
 * istio.metadata_exchange (istio/proxy source/extensions/filters/http/peer_metadata), the
 * `istio_headers` method: the client sidecar (and gateway) sends `x-envoy-peer-metadata-id` (its node
 * id) and `x-envoy-peer-metadata` (base64 of its workload Struct) upstream and learns the server's
 * workload from the same headers on the response; the server sidecar reads them from the request,
 * answers with its own only when the request carried them (a mesh peer), and both sides strip what
 * they read, so the apps never see them. Decoded peers are cached by header value (bounded), so a
 * known peer costs one Map lookup and the stats filter keys its series by the same object.
 * `workload_discovery` (ambient's WDS) is accepted and has nothing to discover here.
 */
export interface CompiledPeerMetadata {
  readonly downstreamDiscovery: boolean;
  readonly upstreamDiscovery: boolean;
  readonly downstreamPropagation: boolean;
  readonly upstreamPropagation: boolean;
}

const MAX_PEERS = 1000;

function methods(resource: string, field: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (!Array.isArray(value)) throw invalid(resource, `${field} must be a list`);
  return (value as PeerMetadataMethod[]).some((m) => m !== null && typeof m === 'object' && m.istio_headers !== undefined);
}

export function compilePeerMetadata(resource: string, config: TypedConfig): CompiledPeerMetadata {
  const c = config as Received<PeerMetadataConfig>;
  return {
    downstreamDiscovery: methods(resource, 'downstream_discovery', c.downstream_discovery),
    upstreamDiscovery: methods(resource, 'upstream_discovery', c.upstream_discovery),
    downstreamPropagation: methods(resource, 'downstream_propagation', c.downstream_propagation),
    upstreamPropagation: methods(resource, 'upstream_propagation', c.upstream_propagation),
  };
}

/** The decoded peers by header value, a quarter dropped when full (istio/proxy's MXCache rule). */
export class PeerCache {
  private readonly peers = new Map<string, WorkloadInfo | null>();

  lookup(value: string): WorkloadInfo | undefined {
    let peer = this.peers.get(value);
    if (peer === undefined) {
      if (this.peers.size >= MAX_PEERS) {
        let drop = MAX_PEERS / 4;
        for (const k of this.peers.keys()) if (drop-- > 0) this.peers.delete(k);
      }
      peer = decodePeerMetadata(value) ?? null;
      this.peers.set(value, peer);
    }
    return peer ?? undefined;
  }
}

/** The proxy's own headers, computed once per node. */
const ownHeaders = new WeakMap<ProxyNode, [id: string, value: string]>();

function own(node: ProxyNode): [string, string] {
  let h = ownHeaders.get(node);
  if (h === undefined) ownHeaders.set(node, (h = [node.id, encodePeerMetadata(localWorkload(node))]));
  return h;
}

function take(headers: Record<string, unknown>, cache: PeerCache): WorkloadInfo | undefined | false {
  const value = headers[PEER_METADATA_HEADER];
  if (value === undefined) return false;
  delete headers[PEER_METADATA_HEADER];
  if (headers[PEER_METADATA_ID_HEADER] !== undefined) delete headers[PEER_METADATA_ID_HEADER];
  return typeof value === 'string' ? cache.lookup(value) : undefined;
}

class PeerMetadataFilter implements HttpFilter {
  private readonly cache = new PeerCache();

  constructor(
    readonly name: string,
    private readonly config: CompiledPeerMetadata,
  ) {}

  decodeHeaders(ex: Exchange): FilterStatus {
    const c = this.config;
    if (c.downstreamDiscovery) {
      const peer = take(ex.headers, this.cache);
      if (peer !== false) {
        ex.peerExchange = true;
        ex.downstreamPeer = peer;
      }
    }
    if (c.upstreamPropagation) {
      const [id, value] = own(ex.ctx.node);
      ex.headers[PEER_METADATA_ID_HEADER] = id;
      ex.headers[PEER_METADATA_HEADER] = value;
    }
    return 'continue';
  }

  encodeHeaders(ex: Exchange, _status: number, headers: OutgoingHttpHeaders): void {
    const c = this.config;
    if (c.upstreamDiscovery) {
      const peer = take(headers, this.cache);
      if (peer !== false) ex.upstreamPeer = peer;
    }
    if (c.downstreamPropagation && ex.peerExchange) {
      const [id, value] = own(ex.ctx.node);
      headers[PEER_METADATA_ID_HEADER] = id;
      headers[PEER_METADATA_HEADER] = value;
    }
  }
}

export const peerMetadataFilter: HttpFilterFactory = {
  typeUrl: `${TYPE_PREFIX}${ISTIO_PEER_METADATA_MESSAGE}`,
  create: (resource, name, config) => new PeerMetadataFilter(name, compilePeerMetadata(resource, config)),
};
