import * as k8s from '@kubernetes/client-node';
import { TrellisError } from '@trellis/shared';

/** Where the control plane finds its cluster credentials. */
export type KubeConfigSource =
  /** `$KUBECONFIG`, `~/.kube/config`, or the in-cluster service account (client-node's default order). */
  | { type: 'default' }
  | { type: 'file'; path: string; context?: string }
  /** The pod's service account: `/var/run/secrets/kubernetes.io/serviceaccount` + `KUBERNETES_SERVICE_*`. */
  | { type: 'in-cluster' }
  /** An explicit server and bearer token (CA as a file or PEM text). */
  | { type: 'token'; server: string; token: string; caFile?: string; caPem?: string; insecureSkipTlsVerify?: boolean };

/** A client-node KubeConfig for `source`; throws TrellisError `KUBE_CONFIG_INVALID` when it has no cluster. */
export function loadKubeConfig(source: KubeConfigSource): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  try {
    switch (source.type) {
      case 'default':
        kc.loadFromDefault();
        break;
      case 'file':
        kc.loadFromFile(source.path);
        if (source.context !== undefined) kc.setCurrentContext(source.context);
        break;
      case 'in-cluster':
        kc.loadFromCluster();
        break;
      case 'token':
        kc.loadFromClusterAndUser(
          {
            name: 'cluster',
            server: source.server,
            ...(source.caFile === undefined ? {} : { caFile: source.caFile }),
            ...(source.caPem === undefined ? {} : { caData: Buffer.from(source.caPem).toString('base64') }),
            skipTLSVerify: source.insecureSkipTlsVerify ?? false,
          },
          { name: 'user', token: source.token },
        );
        break;
    }
  } catch (err) {
    throw new TrellisError('KUBE_CONFIG_INVALID', 'cannot load the kubeconfig', { source: source.type }, { cause: err });
  }
  if (kc.getCurrentCluster() === null) throw new TrellisError('KUBE_CONFIG_INVALID', 'the kubeconfig has no current cluster', { source: source.type });
  return kc;
}
