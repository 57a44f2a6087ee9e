// The 12 objects scenario 7 applies with one `kubectl apply -f`: 8 VirtualServices on bookinfo-gateway, each
// answering its own host with its own fault-abort status (so the gateway's answers prove each one is in
// effect), and Bookinfo's 4 DestinationRules (destination-rule-all.yaml) with one more subset named for the
// run (so `trellis proxy-config clusters` of the gateway proves each one is in effect).
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

export const VS_COUNT = 8;
const DR_FILE = 'samples/bookinfo/networking/destination-rule-all.yaml';
export const RUN_LABEL = 'chaos.trellis.dev/run';

/** Host i of a run and the status its VirtualService aborts with (460+: no other part of the path answers it). */
export const probeHost = (run, i) => `a${i}-${run}.chaos.example`;
export const probeStatus = (i) => 460 + i;
export const chaosSubset = (run) => `chaos-${run}`;

function probeVs(run, i) {
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: `chaos-${run}-${i}`, labels: { [RUN_LABEL]: run } },
    spec: {
      hosts: [probeHost(run, i)],
      gateways: ['bookinfo-gateway'],
      http: [{ fault: { abort: { httpStatus: probeStatus(i), percentage: { value: 100 } } }, route: [{ destination: { host: 'productpage', port: { number: 9080 } } }] }],
    },
  };
}

/** Bookinfo's DestinationRules as the sample ships them (what the scenario restores afterwards). */
export function bookinfoDestinationRules() {
  return parseAllDocuments(readFileSync(DR_FILE, 'utf8')).map((d) => d.toJSON()).filter((o) => o?.kind === 'DestinationRule');
}

/** The objects of one run, in the order kubectl applies them, as a kubectl `List`. */
export function applyList(run) {
  const rules = bookinfoDestinationRules().map((dr) => ({ ...dr, spec: { ...dr.spec, subsets: [...(dr.spec.subsets ?? []), { name: chaosSubset(run), labels: { version: 'v1' } }] } }));
  const services = Array.from({ length: VS_COUNT }, (_, i) => probeVs(run, i));
  return { apiVersion: 'v1', kind: 'List', items: [...services.slice(0, 4), ...rules, ...services.slice(4)] };
}

/** The hosts of the DestinationRules (short names, as in the sample). */
export const ruleHosts = () => bookinfoDestinationRules().map((dr) => dr.spec.host);
