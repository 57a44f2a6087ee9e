import { labelsSelector } from './common';
import { arr, enumOf, labels, mapOf, obj, str, strings, uint32, type JsonSchema } from './json-schema';

export const workloadEntry = (): JsonSchema =>
  obj({
    address: str({ maxLength: 256 }),
    ports: mapOf(uint32({ maximum: 65535 }), 'Set of ports associated with the endpoint.'),
    labels: labels(),
    network: str(),
    locality: str(),
    weight: uint32(),
    serviceAccount: str(),
  });

export const serviceEntrySpec = (): JsonSchema =>
  obj(
    {
      hosts: strings({ description: 'The hosts associated with the ServiceEntry.', minItems: 1 }),
      addresses: strings(),
      ports: arr(
        obj(
          {
            number: uint32({ maximum: 65535 }),
            protocol: str(),
            name: str(),
            targetPort: uint32({ maximum: 65535 }),
          },
          ['number', 'name'],
        ),
      ),
      location: enumOf(['MESH_EXTERNAL', 'MESH_INTERNAL']),
      resolution: enumOf(['NONE', 'STATIC', 'DNS', 'DNS_ROUND_ROBIN']),
      endpoints: arr(workloadEntry()),
      workloadSelector: labelsSelector(),
      exportTo: strings(),
      subjectAltNames: strings(),
    },
    ['hosts'],
    'Configuration affecting service registry. See more details at: https://istio.io/docs/reference/config/networking/service-entry.html',
  );
