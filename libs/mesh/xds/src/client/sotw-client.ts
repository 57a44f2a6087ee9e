import { ADS_METHOD_PATH, type DiscoveryRequest } from '../proto/discovery-types';
import { writeDiscoveryRequest } from '../proto/request-wire';
import { readDiscoveryResponse } from '../proto/response-read';
import { decodeAnyValue } from '../proto/wire-decode';
import { perType, PUSH_ORDER, TYPE_URLS, typeShortOf, type XdsTypeShort } from '../proto/type-urls';
import type { XdsResource } from '../resources';
import { AdsClientCore, INVALID_ARGUMENT, NAMED_TYPES, type AdsClientOptions, type NamedType } from './ads-client-core';

interface SotwTypeState {
  ackedVersion: string;
  nonce: string;
}

/** StreamAggregatedResources: every response is the type's whole set; requests repeat the subscription. */
export class SotwAdsClient extends AdsClientCore {
  readonly protocol = 'sotw';
  protected readonly methodPath = ADS_METHOD_PATH;
  private readonly state: Record<XdsTypeShort, SotwTypeState> = perType(() => ({ ackedVersion: '', nonce: '' }));

  constructor(options: AdsClientOptions) {
    super(options);
    this.connect();
  }

  ackedVersions(): Partial<Record<XdsTypeShort, string>> {
    return Object.fromEntries(PUSH_ORDER.filter((t) => this.state[t].ackedVersion !== '').map((t) => [t, this.state[t].ackedVersion]));
  }

  protected openStream(): void {
    for (const type of PUSH_ORDER) this.state[type].nonce = '';
    this.send('CDS');
    this.send('LDS');
    for (const type of NAMED_TYPES) if (this.names[type].length > 0) this.send(type);
  }

  private send(type: XdsTypeShort, extra: Partial<DiscoveryRequest> = {}): void {
    const s = this.state[type];
    const names = type === 'CDS' || type === 'LDS' ? [] : this.names[type];
    this.write((node) =>
      writeDiscoveryRequest({ type_url: TYPE_URLS[type], version_info: s.ackedVersion, response_nonce: s.nonce, resource_names: names, ...(node ? { node } : {}), ...extra }),
    );
  }

  protected onResponseBytes(bytes: Buffer): void {
    const res = readDiscoveryResponse(bytes);
    const type = typeShortOf(res.type_url);
    if (type === undefined) return;
    this.received();
    const s = this.state[type];
    s.nonce = res.nonce;
    let resources: XdsResource[];
    try {
      resources = res.resources.map((any) => decodeAnyValue(any.type_url, any.value));
      this.options.onResources(type, resources, res.version_info);
    } catch (err) {
      this.send(type, { error_detail: { code: INVALID_ARGUMENT, message: this.rejected(type, res.version_info, err) } });
      return;
    }
    s.ackedVersion = res.version_info;
    this.send(type);
    this.followReferences(type, resources);
  }

  protected sendSubscription(type: NamedType): void {
    this.send(type);
  }
}
