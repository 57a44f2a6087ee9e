export * from './types';

// Schemas and kinds
export type { JsonSchema } from './schema/json-schema';
export { strictSchema } from './schema/json-schema';
export {
  KIND_INFO,
  ALL_KINDS,
  resolveKind,
  apiVersionsOf,
  preferredApiVersion,
  isIstioKind,
  type KindInfo,
  type PrinterColumn,
} from './schema/kinds';
export { configKindOf, manifestKindOf, ISTIO_CRD_KINDS, GATEWAY_API_KINDS } from './schema/config-kind';

// Validation
export { validateConfig, objectSchema, precompileValidators, type ValidateOptions, type ValidationResult } from './validation/validate';
export { formatValidationError, type ValidationError } from './validation/validation-error';
export type { FieldProblem } from './validation/ajv-errors';
export { isDns1123Label, isDns1123Subdomain } from './validation/metadata';
export { DURATION_PATTERN } from './validation/ajv-instance';
export {
  validateMeshService,
  validateWorkloadInstance,
  meshServiceSchema,
  workloadInstanceSchema,
} from './validation/registry';

// Secrets (gateway credentials)
export { isSecretManifest, redactSecret, validateSecrets, type SecretValidation } from './secrets/validate-secret';
export { checkSecretTls, secretValues, tlsCredentialOf, GENERIC_SECRET_KEYS, TLS_SECRET_KEYS, TLS_SECRET_TYPE } from './secrets/tls-credential';
export { CA_SUFFIX, caResourceName, credentialResourceName, KUBERNETES_SECRET_PREFIX, parseCredentialResource } from './secrets/credential-names';

// YAML
export {
  parseYamlDocuments,
  formatYamlParseError,
  type YamlParseError,
  type YamlParseResult,
} from './yaml/parse-documents';

// CRDs
export { generateCrd, generateCrds, renderCrdsYaml, type CustomResourceDefinition } from './crd/generate';

// Analysis
export { analyze } from './analysis/analyze';
export { analyzeOverlay, type OverlayInput, type OverlayAnalyzer } from './analysis/analyze-overlay';
export { schemaValidationMessages } from './analysis/schema-messages';
export {
  collectConfigs,
  emptyCollections,
  type AnalysisInput,
  type ConfigCollections,
} from './analysis/analysis-input';
export {
  formatMessage,
  referencedResourceNotFound,
  type AnalysisLevel,
  type AnalysisMessage,
  type ResourceRef,
} from './analysis/messages';
export { hostMatches, isVisible } from './analysis/hosts';

// Host names and label selection (one rule each, shared by the translator, analysis and the CLI)
export { toFqdn, hostCandidates, serviceHostname, DEFAULT_DOMAIN_SUFFIX } from './match/hosts';
export { labelsMatch } from './match/labels';
export { selectProtocol, SERVER_FIRST_PORTS, type PortProtocolInput } from './match/protocol';

// AuthorizationPolicy: which policies apply to a workload, by action; the addresses they name (translator, analyze, CLI)
export {
  authorizationPoliciesFor,
  authorizationPoliciesByAction,
  authorizationPolicyAttaches,
  authorizationPolicyTargetRefs,
  isDryRun,
  DRY_RUN_ANNOTATION,
  type AuthorizationPoliciesByAction,
  type AuthorizationPolicyTarget,
} from './authz/authorization-policy-selection';
export { ipv4ToNumber, ipv6ToBigInt, parseIpPrefix, type IpPrefix } from './authz/ip-prefix';

// PeerAuthentication: the effective mTLS mode of a workload (translator, describe and analyze share it)
export {
  effectivePeerAuthentication,
  peerAuthenticationsFor,
  mtlsModeForPort,
  namespaceMtlsMode,
  DEFAULT_MTLS_MODE,
  DEFAULT_ROOT_NAMESPACE,
  type EffectivePeerAuthentication,
  type MtlsMode,
  type PeerAuthenticationTarget,
} from './authn/peer-authentication';

// RequestAuthentication: which policies select a workload, its JWT rules, the JWKS each needs (translator, JWKS resolver, CLI)
export {
  requestAuthenticationsFor,
  requestAuthenticationApplies,
  jwtRulesOf,
  jwksKeyOf,
  jwksKeysOf,
  targetRefsOf,
  GATEWAY_NAME_LABEL,
  OPENID_DISCOVERY_SUFFIX,
  type RequestAuthenticationTarget,
} from './authn/request-authentication';

// Telemetry providers: the mesh config's extensionProviders plus istiod's built-ins (translator and analyze share them)
export { BUILT_IN_PROVIDERS, findExtensionProvider } from './telemetry/providers';

// Gateway API (gateway.networking.k8s.io): kind guards (its `Gateway` shares Istio's kind name), durations
export {
  isGatewayApiConfig,
  isIstioGateway,
  isKubernetesGateway,
  isGatewayClass,
  isKubernetesHttpRoute,
  isReferenceGrant,
} from './gateway-api/guards';
export { gatewayDurationMs } from './gateway-api/duration';

// EnvoyFilter: the patches Trellis applies, checked and normalised once (validation and translate)
export { checkEnvoyFilterPatch, SUPPORTED_PATCHES, type SupportedPatch, type AppliedKind } from './envoy-filter/patches';
export { HCM_FILTER_NAME, LOCAL_RATE_LIMIT_URL, RATE_LIMIT_URL } from './envoy-filter/messages';
