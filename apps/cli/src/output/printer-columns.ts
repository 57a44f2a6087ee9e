import type { AnyResource, IstioKind } from '@trellis/mesh-api';
import { get } from '../proxy-config/envoy-access';
import { printerCell } from './printers';

export interface PrinterColumn {
  header: string;
  value: (object: AnyResource) => string;
}

const spec = (...path: string[]) => (o: AnyResource): string => printerCell(get(o.spec, ...path));

interface Condition {
  type?: unknown;
  status?: unknown;
}
const statusOf = (o: AnyResource): { addresses?: { value?: unknown }[]; conditions?: Condition[] } => (o as { status?: ReturnType<typeof statusOf> }).status ?? {};
/** `.status.conditions[?(@.type=="<type>")].status` (empty when absent, as kubectl prints it). */
const condition = (type: string) => (o: AnyResource): string => String(statusOf(o).conditions?.find((c) => c.type === type)?.status ?? '');
/** `.status.addresses[*].value`, comma-separated as kubectl joins a list. */
const addresses = (o: AnyResource): string => (statusOf(o).addresses ?? []).map((a) => String(a.value ?? '')).join(',');

/** The additionalPrinterColumns of Istio's CRDs (NAME and AGE are added by the table printer). */
export const PRINTER_COLUMNS: Record<IstioKind, PrinterColumn[]> = {
  VirtualService: [
    { header: 'GATEWAYS', value: spec('gateways') },
    { header: 'HOSTS', value: spec('hosts') },
  ],
  DestinationRule: [{ header: 'HOST', value: spec('host') }],
  Gateway: [],
  ServiceEntry: [
    { header: 'HOSTS', value: spec('hosts') },
    { header: 'LOCATION', value: spec('location') },
    { header: 'RESOLUTION', value: spec('resolution') },
  ],
  Sidecar: [],
  EnvoyFilter: [],
  PeerAuthentication: [{ header: 'MODE', value: spec('mtls', 'mode') }],
  AuthorizationPolicy: [{ header: 'ACTION', value: spec('action') }],
  RequestAuthentication: [],
  Telemetry: [],
  GatewayClass: [
    { header: 'CONTROLLER', value: spec('controllerName') },
    { header: 'ACCEPTED', value: condition('Accepted') },
  ],
  KubernetesGateway: [
    { header: 'CLASS', value: spec('gatewayClassName') },
    { header: 'ADDRESS', value: addresses },
    { header: 'PROGRAMMED', value: condition('Programmed') },
  ],
  HTTPRoute: [{ header: 'HOSTNAMES', value: spec('hostnames') }],
  ReferenceGrant: [],
};
