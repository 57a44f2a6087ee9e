import { destination, labelsSelector } from './common';
import { anyObject, arr, enumOf, obj, str, strings, uint32, type JsonSchema } from './json-schema';

const CAPTURE_MODES = ['DEFAULT', 'IPTABLES', 'NONE'] as const;

const sidecarPort = (): JsonSchema =>
  obj({ number: uint32({ maximum: 65535 }), protocol: str(), name: str(), targetPort: uint32({ maximum: 65535 }) });

export const sidecarSpec = (): JsonSchema =>
  obj(
    {
      workloadSelector: labelsSelector(),
      ingress: arr(
        obj(
          {
            port: sidecarPort(),
            bind: str(),
            captureMode: enumOf(CAPTURE_MODES),
            defaultEndpoint: str(),
            tls: anyObject(),
            connectionPool: anyObject(),
          },
          ['port'],
        ),
      ),
      egress: arr(obj({ port: sidecarPort(), bind: str(), captureMode: enumOf(CAPTURE_MODES), hosts: strings() }, ['hosts'])),
      inboundConnectionPool: anyObject(),
      outboundTrafficPolicy: obj({ mode: enumOf(['REGISTRY_ONLY', 'ALLOW_ANY']), egressProxy: destination() }),
    },
    [],
    'Configuration affecting network reachability of a sidecar. See more details at: https://istio.io/docs/reference/config/networking/sidecar.html',
  );
