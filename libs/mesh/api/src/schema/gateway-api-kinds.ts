import type { PrinterColumn, KindInfo } from './kinds';
import { gatewayClassSpec, kubernetesGatewaySpec, referenceGrantSpec } from './gateway-api';
import { httpRouteSpec } from './gateway-api-route';

type GatewayApiKindId = 'GatewayClass' | 'KubernetesGateway' | 'HTTPRoute' | 'ReferenceGrant';

const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const GROUP = 'gateway.networking.k8s.io';
const CATEGORIES = ['gateway-api'];

/**
 * The Gateway API kinds (standard channel) as the upstream CRDs name them: served versions (v1 is
 * stored; v1beta1 accepted), plural, short names and kubectl's columns. Their CRDs are upstream's,
 * never generated from these schemas.
 */
export const GATEWAY_API_KIND_INFO: Readonly<Record<GatewayApiKindId, KindInfo>> = {
  GatewayClass: {
    kind: 'GatewayClass',
    group: GROUP,
    versions: ['v1beta1', 'v1'],
    plural: 'gatewayclasses',
    singular: 'gatewayclass',
    shortNames: ['gc'],
    categories: CATEGORIES,
    printerColumns: [
      { name: 'Controller', type: 'string', jsonPath: '.spec.controllerName' },
      { name: 'Accepted', type: 'string', jsonPath: '.status.conditions[?(@.type=="Accepted")].status' },
      AGE,
      { name: 'Description', type: 'string', jsonPath: '.spec.description' },
    ],
    spec: gatewayClassSpec,
  },
  KubernetesGateway: {
    kind: 'KubernetesGateway',
    manifestKind: 'Gateway',
    group: GROUP,
    versions: ['v1beta1', 'v1'],
    plural: 'gateways',
    singular: 'gateway',
    shortNames: ['gtw'],
    categories: CATEGORIES,
    printerColumns: [
      { name: 'Class', type: 'string', jsonPath: '.spec.gatewayClassName' },
      { name: 'Address', type: 'string', jsonPath: '.status.addresses[*].value' },
      { name: 'Programmed', type: 'string', jsonPath: '.status.conditions[?(@.type=="Programmed")].status' },
      AGE,
    ],
    spec: kubernetesGatewaySpec,
  },
  HTTPRoute: {
    kind: 'HTTPRoute',
    group: GROUP,
    versions: ['v1beta1', 'v1'],
    plural: 'httproutes',
    singular: 'httproute',
    shortNames: [],
    categories: CATEGORIES,
    printerColumns: [{ name: 'Hostnames', type: 'string', jsonPath: '.spec.hostnames' }, AGE],
    spec: httpRouteSpec,
  },
  ReferenceGrant: {
    kind: 'ReferenceGrant',
    group: GROUP,
    versions: ['v1beta1'],
    plural: 'referencegrants',
    singular: 'referencegrant',
    shortNames: ['refgrant'],
    categories: CATEGORIES,
    printerColumns: [AGE],
    spec: referenceGrantSpec,
  },
};
