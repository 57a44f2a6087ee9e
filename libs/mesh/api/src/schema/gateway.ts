import { arr, bool, enumOf, labels, obj, str, strings, uint32, type JsonSchema } from './json-schema';

export const GATEWAY_PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP2', 'GRPC', 'TCP', 'TLS', 'MONGO'] as const;

export const TLS_PROTOCOL_VERSIONS = ['TLS_AUTO', 'TLSV1_0', 'TLSV1_1', 'TLSV1_2', 'TLSV1_3'] as const;

const serverTls = (): JsonSchema =>
  obj(
    {
      httpsRedirect: bool(),
      mode: enumOf(['PASSTHROUGH', 'SIMPLE', 'MUTUAL', 'AUTO_PASSTHROUGH', 'ISTIO_MUTUAL', 'OPTIONAL_MUTUAL']),
      serverCertificate: str(),
      privateKey: str(),
      caCertificates: str(),
      caCrl: str(),
      credentialName: str(),
      credentialNames: strings(),
      subjectAltNames: strings(),
      verifyCertificateSpki: strings(),
      verifyCertificateHash: strings(),
      minProtocolVersion: enumOf(TLS_PROTOCOL_VERSIONS),
      maxProtocolVersion: enumOf(TLS_PROTOCOL_VERSIONS),
      cipherSuites: strings(),
    },
    [],
    'Set of TLS related options that govern the server\'s behavior.',
  );

const server = (): JsonSchema =>
  obj(
    {
      port: obj(
        {
          number: uint32({ description: 'A valid non-negative integer port number.', maximum: 65535 }),
          protocol: enumOf(GATEWAY_PROTOCOLS, 'The protocol exposed on the port.'),
          name: str({ description: 'Label assigned to the port.' }),
          targetPort: uint32({ maximum: 65535 }),
        },
        ['number', 'protocol', 'name'],
        'The Port on which the proxy should listen for incoming connections.',
      ),
      bind: str(),
      hosts: strings({ description: 'One or more hosts exposed by this gateway.', minItems: 1 }),
      tls: serverTls(),
      defaultEndpoint: str(),
      name: str({ description: 'An optional name of the server.' }),
    },
    ['port', 'hosts'],
  );

export const gatewaySpec = (): JsonSchema =>
  obj(
    {
      selector: labels('One or more labels that indicate a specific set of pods/VMs on which this gateway configuration should be applied.'),
      servers: arr(server(), { description: 'A list of server specifications.' }),
    },
    [],
    'Configuration affecting edge load balancer. See more details at: https://istio.io/docs/reference/config/networking/gateway.html',
  );
