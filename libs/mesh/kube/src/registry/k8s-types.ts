import type { KubeObject } from '../client/types';

/** The fields of core/v1 Service that the registry reads. */
export interface KubeService extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    selector?: Record<string, string>;
    ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string; appProtocol?: string }[];
  };
}

export interface KubeContainer {
  name: string;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
}

/** The fields of core/v1 Pod that the registry reads. */
export interface KubePod extends KubeObject {
  spec?: { serviceAccountName?: string; containers?: KubeContainer[]; initContainers?: KubeContainer[] };
  status?: { phase?: string; podIP?: string; conditions?: { type: string; status: string }[] };
}

export type KubeNamespace = KubeObject;

/** discovery.k8s.io EndpointSlice (v1 and v1beta1 share these fields). */
export interface KubeEndpointSlice extends KubeObject {
  addressType?: string;
  endpoints?: {
    addresses?: string[];
    conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
    targetRef?: { kind?: string; name?: string; namespace?: string };
  }[];
}
