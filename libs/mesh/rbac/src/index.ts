/**
 * @trellis/mesh-rbac — Envoy's RBAC engine (envoy.config.rbac.v3), pure: compile `RbacRules` once,
 * evaluate a request or connection against them, and explain the decision (which policy matched, and
 * for each policy that did not, the first condition that failed). The proxy's HTTP and network RBAC
 * filters and `trellis x authz check` run this same code.
 */
export type { RbacDecision, RbacInput } from './input';
export { RbacConfigError } from './errors';
export { type CompiledString, compileString, headerStringMatcher } from './string-match';
export { type CompiledPolicy, type CompiledRbac, compileRbac, evaluate, matchingPolicy } from './engine';
export { type PolicyExplanation, type RbacExplanation, explain } from './explain';
export { NO_PEER_CERT } from './leaves';
export { NO_JWT, compileMetadataMatcher, type DynamicMetadata } from './metadata';
export { type FoundRbac, type FoundRouteRbac, findRbacFilters, findRouteRbac } from './find';
