import type { PackedAny } from './codec';
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse, DeltaResource } from './delta-types';
import { writeNode, writeStatus } from './request-wire';
import { readAny } from './response-read';
import { framedMessage } from './response-wire';
import { decodeFailed } from './wire-decode';
import { WireReader } from './wire-reader';
import { lengthDelimited, messageField, stringField } from './wire-writer';

/**
 * The delta ADS messages written and read by hand (response-wire.ts explains why):
 *   DeltaDiscoveryRequest: 1 node · 2 type_url · 3 resource_names_subscribe · 4 resource_names_unsubscribe ·
 *     5 initial_resource_versions (map entry {1 key, 2 value}) · 6 response_nonce · 7 error_detail
 *   DeltaDiscoveryResponse: 1 system_version_info · 2 resources (Resource) · 4 type_url · 5 nonce · 6 removed_resources
 *   Resource: 1 version · 2 resource (Any{1 type_url, 2 value}) · 3 name
 */

/** A resource as the server holds it (packed-set.ts's entries are these). */
export interface DeltaEntry {
  readonly name: string;
  readonly version: string;
  readonly any: PackedAny;
}

/** What changed for one stream and type: shared by every stream with the same change (delta-diff.ts). */
export interface DeltaBody {
  readonly entries: readonly DeltaEntry[];
  readonly removed: readonly string[];
}

export interface DeltaResponseFields {
  readonly system_version_info: string;
  readonly type_url: string;
  readonly nonce: string;
  readonly body: DeltaBody;
}

/** Field 2 (one Resource) per entry, built once per entry for every stream and push. */
const resourceFields = new WeakMap<DeltaEntry, Buffer>();

function resourceField(e: DeltaEntry): Buffer {
  let bytes = resourceFields.get(e);
  if (bytes === undefined) {
    const any = messageField(2, [stringField(1, e.any.type_url), e.any.value.length === 0 ? Buffer.alloc(0) : lengthDelimited(2, e.any.value)]);
    bytes = messageField(2, [stringField(1, e.version), any, stringField(3, e.name)]);
    resourceFields.set(e, bytes);
  }
  return bytes;
}

/** The last whole message per body: a push round's streams with equal changes share one framed buffer. */
const lastMessages = new WeakMap<DeltaBody, { readonly key: string; readonly bytes: Buffer }>();

export function writeDeltaDiscoveryResponse(r: DeltaResponseFields): Buffer {
  const key = `${r.system_version_info}\u0000${r.type_url}\u0000${r.nonce}`;
  const last = lastMessages.get(r.body);
  if (last?.key === key) return last.bytes;
  const parts = [stringField(1, r.system_version_info), ...r.body.entries.map(resourceField), stringField(4, r.type_url), stringField(5, r.nonce)];
  for (const name of r.body.removed) parts.push(lengthDelimited(6, Buffer.from(name, 'utf8')));
  const bytes = framedMessage(parts);
  lastMessages.set(r.body, { key, bytes });
  return bytes;
}

export function writeDeltaDiscoveryRequest(r: DeltaDiscoveryRequest): Buffer {
  const parts: Buffer[] = [];
  if (r.node !== undefined) parts.push(messageField(1, writeNode(r.node)));
  parts.push(stringField(2, r.type_url ?? ''));
  for (const name of r.resource_names_subscribe ?? []) parts.push(lengthDelimited(3, Buffer.from(name, 'utf8')));
  for (const name of r.resource_names_unsubscribe ?? []) parts.push(lengthDelimited(4, Buffer.from(name, 'utf8')));
  for (const [name, version] of Object.entries(r.initial_resource_versions ?? {})) {
    parts.push(messageField(5, [stringField(1, name), stringField(2, version)]));
  }
  parts.push(stringField(6, r.response_nonce ?? ''));
  if (r.error_detail !== undefined) parts.push(messageField(7, writeStatus(r.error_detail)));
  return Buffer.concat(parts);
}

function readResource(r: WireReader): DeltaResource {
  const end = r.payloadEnd();
  const out = { name: '', version: '', resource: { type_url: '', value: Buffer.alloc(0) } as PackedAny };
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    if (field === 1) out.version = r.string();
    else if (field === 2) out.resource = readAny(r);
    else if (field === 3) out.name = r.string();
    else r.skip(tag & 7);
  }
  if (r.pos !== end) throw new RangeError('resource overruns its length');
  return out;
}

export function readDeltaDiscoveryResponse(bytes: Buffer): DeltaDiscoveryResponse {
  const r = new WireReader(bytes);
  const out = { system_version_info: '', resources: [] as DeltaResource[], type_url: '', nonce: '', removed_resources: [] as string[] };
  try {
    while (r.pos < r.end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (field === 1) out.system_version_info = r.string();
      else if (field === 2) out.resources.push(readResource(r));
      else if (field === 4) out.type_url = r.string();
      else if (field === 5) out.nonce = r.string();
      else if (field === 6) out.removed_resources.push(r.string());
      else r.skip(tag & 7);
    }
  } catch (err) {
    throw decodeFailed('envoy.service.discovery.v3.DeltaDiscoveryResponse', err);
  }
  return out;
}
