import { analyzeAuthzHttpOnTcp } from './analyzers/authz-http-on-tcp';
import { analyzeDestinationHosts } from './analyzers/destination-hosts';
import { analyzeDestinationSubsets } from './analyzers/destination-subsets';
import { analyzeDuplicateSubsets } from './analyzers/duplicate-subsets';
import { analyzeGateways } from './analyzers/gateways';
import { analyzeMeshHostConflicts } from './analyzers/mesh-host-conflicts';
import { analyzeMtlsConflicts } from './analyzers/mtls-conflicts';
import { analyzeRouteWeights } from './analyzers/route-weights';
import { analyzeUnreachableRules } from './analyzers/unreachable-rules';
import { analyzeTelemetryProviders } from './analyzers/telemetry-providers';
import type { AnalysisContext, Analyzer } from './analyzers/context';
import type { AnalysisInput } from './analysis-input';
import { DEFAULT_DOMAIN_SUFFIX } from '../match/hosts';
import { DEFAULT_ROOT_NAMESPACE } from '../authn/peer-authentication';
import { HostIndex } from './hosts';
import type { AnalysisLevel, AnalysisMessage } from './messages';

const ANALYZERS: readonly Analyzer[] = [
  analyzeGateways,
  analyzeDestinationHosts,
  analyzeDestinationSubsets,
  analyzeRouteWeights,
  analyzeDuplicateSubsets,
  analyzeUnreachableRules,
  analyzeMeshHostConflicts,
  analyzeMtlsConflicts,
  analyzeAuthzHttpOnTcp,
  analyzeTelemetryProviders,
];

const LEVEL_ORDER: Record<AnalysisLevel, number> = { Error: 0, Warning: 1, Info: 2 };

function compare(a: AnalysisMessage, b: AnalysisMessage): number {
  return (
    LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] ||
    a.origin.localeCompare(b.origin) ||
    a.code.localeCompare(b.code) ||
    a.message.localeCompare(b.message)
  );
}

/**
 * istioctl-analyze-style semantic checks over config + registry (a MeshSnapshot works as input).
 * Messages are sorted: errors first, then by origin, code and text.
 */
export function analyze(input: AnalysisInput): AnalysisMessage[] {
  const domainSuffix = input.domainSuffix ?? DEFAULT_DOMAIN_SUFFIX;
  const ctx: AnalysisContext = {
    domainSuffix,
    gateways: input.gateways ?? [],
    virtualServices: input.virtualServices ?? [],
    destinationRules: input.destinationRules ?? [],
    hosts: new HostIndex(input.services ?? [], input.serviceEntries ?? [], domainSuffix),
    services: input.services ?? [],
    peerAuthentications: input.peerAuthentications ?? [],
    authorizationPolicies: input.authorizationPolicies ?? [],
    telemetries: input.telemetries ?? [],
    meshConfig: input.meshConfig,
    rootNamespace: input.rootNamespace ?? DEFAULT_ROOT_NAMESPACE,
  };
  return ANALYZERS.flatMap((a) => a(ctx)).sort(compare);
}
