import { captureArgs } from '../capture/flags';
import type { CaptureOptions } from '../capture/options';
import {
  CAPTURE_COMMAND, INIT_CONTAINER, PODINFO_DIR, PODINFO_VOLUME, PROMETHEUS_PORT, PROXY_CONTAINER, PROXY_UID,
  PROXY_WAIT_COMMAND, STATUS_PORT,
} from './constants';
import { identityMounts } from './identity-volumes';
import type { ResolvedMeshConfig } from './mesh-config';
import type { Container, EnvVar, Volume } from './types';

function pullPolicy(config: ResolvedMeshConfig): Record<string, string> {
  return config.imagePullPolicy ? { imagePullPolicy: config.imagePullPolicy } : {};
}

/** Installs the nat capture rules (runs as root with NET_ADMIN/NET_RAW only), then exits. */
export function initContainer(config: ResolvedMeshConfig, capture: CaptureOptions): Container {
  return {
    name: INIT_CONTAINER,
    image: config.proxyImage,
    ...pullPolicy(config),
    command: [CAPTURE_COMMAND],
    args: captureArgs(capture),
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '128Mi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { add: ['NET_ADMIN', 'NET_RAW'], drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: false,
      runAsGroup: 0,
      runAsNonRoot: false,
      runAsUser: 0,
    },
  };
}

/** The sidecar. With holdApplicationUntilProxyStarts the postStart hook blocks app start until ready. */
export function proxyContainer(config: ResolvedMeshConfig, env: EnvVar[]): Container {
  const lifecycle = config.holdApplicationUntilProxyStarts ? { lifecycle: { postStart: { exec: { command: [PROXY_WAIT_COMMAND] } } } } : {};
  return {
    name: PROXY_CONTAINER,
    image: config.proxyImage,
    ...pullPolicy(config),
    args: ['--mode', 'sidecar'],
    env,
    ports: [{ containerPort: PROMETHEUS_PORT, name: 'http-envoy-prom', protocol: 'TCP' }],
    readinessProbe: {
      httpGet: { path: '/healthz/ready', port: STATUS_PORT },
      initialDelaySeconds: 0,
      periodSeconds: 2,
      timeoutSeconds: 3,
      failureThreshold: 30,
    },
    resources: structuredClone(config.proxyResources),
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsGroup: PROXY_UID,
      runAsNonRoot: true,
      runAsUser: PROXY_UID,
    },
    ...lifecycle,
    volumeMounts: [{ name: PODINFO_VOLUME, mountPath: PODINFO_DIR, readOnly: true }, ...identityMounts(config)],
  };
}

/** Downward-API labels/annotations files (`key="value"` per line) at /etc/istio/pod. */
export function podInfoVolume(): Volume {
  return {
    name: PODINFO_VOLUME,
    downwardAPI: {
      items: [
        { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
        { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
      ],
    },
  };
}
