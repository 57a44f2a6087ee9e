import type { Sample } from '../inventory';
import { label } from '../graph/labels';

/** `{protocol: {code: ratePerSecond}}` (contract §4.11). */
export type RateMap = Record<string, Record<string, number>>;

export interface Requests {
  inbound: RateMap;
  outbound: RateMap;
  healthAnnotations: Record<string, string>;
}

/** Inbound keeps source- and destination-reported rates apart until `finish`. */
interface Acc {
  inSource: RateMap;
  inDest: RateMap;
  outbound: RateMap;
}

const add = (m: RateMap, protocol: string, code: string, v: number): void => {
  const byCode = (m[protocol] ??= {});
  byCode[code] = (byCode[code] ?? 0) + v;
};

/** The health code of a sample: `-` for no response; gRPC reports its status. */
function codeOf(m: Record<string, string>): { protocol: string; code: string } {
  const protocol = label(m, 'request_protocol') || 'http';
  const http = label(m, 'response_code');
  const grpc = label(m, 'grpc_response_status');
  if (protocol === 'grpc' && grpc !== '') return { protocol, code: grpc };
  return { protocol, code: http === '0' || http === '' ? '-' : http };
}

export type KeyOf = (m: Record<string, string>) => string | undefined;

/** Accumulates request rates per item (§4.11): inbound by `inKey`, outbound (source-reported) by `outKey`. */
export class RequestRates {
  private readonly items = new Map<string, Acc>();

  add(samples: readonly Sample[], inKey: KeyOf, outKey: KeyOf): void {
    for (const s of samples) {
      if (!(s.value > 0) || !Number.isFinite(s.value)) continue;
      const { protocol, code } = codeOf(s.metric);
      const reporter = label(s.metric, 'reporter');
      const inItem = inKey(s.metric);
      if (inItem !== undefined) add(reporter === 'source' ? this.acc(inItem).inSource : this.acc(inItem).inDest, protocol, code, s.value);
      const outItem = outKey(s.metric);
      if (outItem !== undefined && reporter === 'source') add(this.acc(outItem).outbound, protocol, code, s.value);
    }
  }

  /** The merged requests of an item; empty maps when it had no traffic. */
  requests(item: string): Requests {
    const acc = this.items.get(item);
    if (acc === undefined) return { inbound: {}, outbound: {}, healthAnnotations: {} };
    const inbound: RateMap = {};
    for (const m of [acc.inSource, acc.inDest]) {
      for (const [p, codes] of Object.entries(m)) {
        for (const [c, v] of Object.entries(codes)) {
          const have = inbound[p]?.[c];
          if (have === undefined || v > have) (inbound[p] ??= {})[c] = v;
        }
      }
    }
    return { inbound: rounded(inbound), outbound: rounded(acc.outbound), healthAnnotations: {} };
  }

  private acc(item: string): Acc {
    let a = this.items.get(item);
    if (a === undefined) this.items.set(item, (a = { inSource: {}, inDest: {}, outbound: {} }));
    return a;
  }
}

/** Float noise off (3.3 + 3.1 = 6.4, not 6.3999…). */
function rounded(m: RateMap): RateMap {
  const out: RateMap = {};
  for (const [p, codes] of Object.entries(m)) {
    out[p] = {};
    for (const [c, v] of Object.entries(codes)) (out[p] as Record<string, number>)[c] = Math.round(v * 1e6) / 1e6;
  }
  return out;
}
