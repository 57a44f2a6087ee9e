import { targetRef, workloadSelector } from './common';
import { arr, bool, duration, enumOf, mapOf, obj, str, strings, type JsonSchema } from './json-schema';

const MTLS_MODES = ['UNSET', 'DISABLE', 'PERMISSIVE', 'STRICT'] as const;

export const peerAuthenticationSpec = (): JsonSchema =>
  obj(
    {
      selector: workloadSelector('The selector determines the workloads to apply the PeerAuthentication on.'),
      mtls: obj({ mode: enumOf(MTLS_MODES, 'Defines the mTLS mode used for peer authentication.') }),
      portLevelMtls: mapOf(obj({ mode: enumOf(MTLS_MODES) }), 'Port specific mutual TLS settings.'),
    },
    [],
    'Peer authentication configuration for workloads. See more details at: https://istio.io/docs/reference/config/security/peer_authentication.html',
  );

const source = (): JsonSchema =>
  obj(
    Object.fromEntries(
      ['principals', 'requestPrincipals', 'namespaces', 'ipBlocks', 'remoteIpBlocks', 'serviceAccounts'].flatMap((f) => [
        [f, strings()],
        [`not${f.charAt(0).toUpperCase()}${f.slice(1)}`, strings()],
      ]),
    ),
  );

const operation = (): JsonSchema =>
  obj(
    Object.fromEntries(
      ['hosts', 'ports', 'methods', 'paths'].flatMap((f) => [
        [f, strings()],
        [`not${f.charAt(0).toUpperCase()}${f.slice(1)}`, strings()],
      ]),
    ),
  );

export const authorizationPolicySpec = (): JsonSchema =>
  obj(
    {
      selector: workloadSelector('Optional.'),
      targetRef: targetRef(),
      targetRefs: arr(targetRef()),
      rules: arr(
        obj({
          from: arr(obj({ source: source() })),
          to: arr(obj({ operation: operation() })),
          when: arr(obj({ key: str(), values: strings(), notValues: strings() }, ['key'])),
        }),
        { description: 'Optional.' },
      ),
      action: enumOf(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM'], 'Optional.'),
      provider: obj({ name: str() }),
    },
    [],
    'Configuration for access control on workloads. See more details at: https://istio.io/docs/reference/config/security/authorization-policy.html',
  );

export const requestAuthenticationSpec = (): JsonSchema =>
  obj(
    {
      selector: workloadSelector('Optional.'),
      targetRef: targetRef(),
      targetRefs: arr(targetRef()),
      jwtRules: arr(
        obj(
          {
            issuer: str({ description: 'Identifies the issuer that issued the JWT.' }),
            audiences: strings(),
            jwksUri: str(),
            jwks: str(),
            fromHeaders: arr(obj({ name: str(), prefix: str() }, ['name'])),
            fromParams: strings(),
            fromCookies: strings(),
            outputPayloadToHeader: str(),
            forwardOriginalToken: bool(),
            outputClaimToHeaders: arr(obj({ header: str(), claim: str() })),
            timeout: duration(),
            spaceDelimitedClaims: strings(),
          },
          ['issuer'],
        ),
      ),
    },
    [],
    'Request authentication configuration for workloads. See more details at: https://istio.io/docs/reference/config/security/request_authentication.html',
  );
