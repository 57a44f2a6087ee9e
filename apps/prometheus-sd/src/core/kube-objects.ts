/** The fields of core/v1 objects that Prometheus's Kubernetes discovery reads (built-in kinds, API JSON). */
import type { KubeObject, KubeObjectMeta } from '@trellis/mesh-kube';

export interface OwnerReference {
  kind?: string;
  name?: string;
  controller?: boolean;
}

export interface SdObjectMeta extends KubeObjectMeta {
  ownerReferences?: OwnerReference[];
}

export interface SdContainer {
  name: string;
  image?: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
}

export interface SdContainerStatus {
  name: string;
  containerID?: string;
}

export interface SdPod extends KubeObject {
  metadata: SdObjectMeta;
  spec?: { nodeName?: string; containers?: SdContainer[]; initContainers?: SdContainer[] };
  status?: {
    phase?: string;
    podIP?: string;
    hostIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: SdContainerStatus[];
    initContainerStatuses?: SdContainerStatus[];
  };
}

export interface SdService extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    externalName?: string;
    loadBalancerIP?: string;
    ports?: { name?: string; port: number; protocol?: string }[];
  };
}

export interface SdEndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind?: string; name?: string; namespace?: string };
}

export interface SdEndpoints extends KubeObject {
  subsets?: {
    addresses?: SdEndpointAddress[];
    notReadyAddresses?: SdEndpointAddress[];
    ports?: { name?: string; port: number; protocol?: string }[];
  }[];
}

export interface SdNode extends KubeObject {
  spec?: { providerID?: string };
  status?: {
    addresses?: { type: string; address: string }[];
    daemonEndpoints?: { kubeletEndpoint?: { Port?: number } };
  };
}
