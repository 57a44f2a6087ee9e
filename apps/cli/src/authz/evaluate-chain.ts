import {
  EXT_AUTHZ_TYPE,
  JWT_AUTHN_FILTER_NAME,
  JWT_AUTHN_TYPE,
  NETWORK_RBAC_TYPE,
  RBAC_TYPE,
  type ExtAuthz,
  type HttpRbac,
  type MetadataMatcher,
  type NetworkRbac,
  type Received,
} from '@trellis/mesh-envoy';
import { JwtAuthenticator } from '@trellis/mesh-proxy';
import { compileMetadataMatcher, compileRbac, evaluate, explain, type RbacInput } from '@trellis/mesh-rbac';
import type { PickedChain } from './chain-pick';
import type { CheckConnection, CheckRequest, CheckStep, CheckVerdict } from './check-types';

/**
 * Runs a request (or, on a TCP chain, a connection) through the chain's security filters in order,
 * with the proxy's own engines: jwt_authn's `JwtAuthenticator`, RBAC's `compileRbac`/`evaluate`/
 * `explain` (@trellis/mesh-rbac), dynamic metadata passed along as the proxy passes it. Stops at the
 * first filter that answers, as the proxy does.
 */
type Metadata = Map<string, Record<string, unknown>>;
type Entry = { readonly name?: string; readonly typed_config?: Record<string, unknown> };

function rbacInput(req: CheckRequest | undefined, conn: CheckConnection, metadata: Metadata): RbacInput {
  const base = {
    sourceIp: conn.sourceIp,
    remoteIp: conn.sourceIp,
    destinationIp: conn.destinationIp,
    destinationPort: conn.destinationPort,
    authenticated: conn.principal !== undefined,
    ...(conn.principal !== undefined && { principal: conn.principal }),
    ...(conn.sni !== undefined && { sni: conn.sni }),
  };
  if (req === undefined) return base;
  const pseudo: Record<string, string> = { ':method': req.method, ':path': req.path, ':authority': req.authority, ':scheme': 'http' };
  const q = req.path.indexOf('?');
  return {
    ...base,
    header: (name) => pseudo[name] ?? (name === 'host' ? req.authority : req.headers[name]),
    path: q < 0 ? req.path : req.path.slice(0, q),
    metadata: (filter) => metadata.get(filter),
  };
}

function setMetadata(metadata: Metadata, filter: string, key: string, value: unknown): void {
  const struct = metadata.get(filter) ?? {};
  struct[key] = value;
  metadata.set(filter, struct);
}

/** One RBAC filter: the enforced engine decides, the shadow engine only writes metadata (Envoy's keys). */
function rbacSteps(name: string, cfg: Received<HttpRbac> | Received<NetworkRbac>, input: RbacInput, metadata: Metadata): CheckStep[] {
  const steps: CheckStep[] = [];
  if (cfg.shadow_rules !== undefined) {
    const shadow = compileRbac(name, cfg.shadow_rules);
    const d = evaluate(shadow, input);
    const prefix = cfg.shadow_rules_stat_prefix ?? '';
    if (d.matchedPolicy !== undefined) setMetadata(metadata, name, `${prefix}shadow_effective_policy_id`, d.matchedPolicy);
    setMetadata(metadata, name, `${prefix}shadow_engine_result`, d.allowed ? 'allowed' : 'denied');
    steps.push({ kind: 'rbac', filter: name, shadow: true, explanation: explain(shadow, input) });
  }
  if (cfg.rules !== undefined) steps.push({ kind: 'rbac', filter: name, shadow: false, explanation: explain(compileRbac(name, cfg.rules), input) });
  return steps;
}

/** ext_authz's filter_enabled_metadata, decided by the RBAC engine's metadata matcher (as the proxy's filter). */
function extAuthzEnabled(matcher: Received<MetadataMatcher> | undefined, metadata: Metadata): boolean {
  return matcher === undefined || compileMetadataMatcher('ext_authz filter_enabled_metadata', matcher as MetadataMatcher)(metadata);
}

function authorizerOf(cfg: Received<ExtAuthz>): string {
  return cfg.http_service?.server_uri?.cluster ?? cfg.grpc_service?.envoy_grpc?.cluster_name ?? 'unknown';
}

function denial(step: CheckStep): CheckVerdict | undefined {
  if (step.kind === 'rbac' && !step.shadow && !step.explanation.allowed) return { decision: 'DENIED', status: 403, body: 'RBAC: access denied', decidedBy: step, steps: [] };
  if (step.kind === 'jwt_authn' && step.outcome.outcome === 'failed') return { decision: 'DENIED', status: step.outcome.status ?? 401, body: step.outcome.message ?? '', decidedBy: step, steps: [] };
  if (step.kind === 'ext_authz' && step.enabled) return { decision: 'CUSTOM', decidedBy: step, steps: [] };
  return undefined;
}

async function stepsOf(entry: Entry, req: CheckRequest | undefined, conn: CheckConnection, metadata: Metadata): Promise<CheckStep[]> {
  const name = entry.name ?? '';
  const type = entry.typed_config?.['@type'];
  if ((type === RBAC_TYPE && req !== undefined) || type === NETWORK_RBAC_TYPE) {
    return rbacSteps(name, entry.typed_config as Received<HttpRbac>, rbacInput(req, conn, metadata), metadata);
  }
  if (type === JWT_AUTHN_TYPE && req !== undefined) {
    const outcome = await JwtAuthenticator.compile(entry.typed_config as { '@type': string }, name).check({ method: req.method, path: req.path, headers: req.headers });
    for (const [key, claims] of Object.entries(outcome.payloads)) setMetadata(metadata, JWT_AUTHN_FILTER_NAME, key, claims);
    return [{ kind: 'jwt_authn', filter: name, outcome }];
  }
  if (type === EXT_AUTHZ_TYPE && req !== undefined) {
    const cfg = entry.typed_config as Received<ExtAuthz>;
    return [{ kind: 'ext_authz', filter: name, enabled: extAuthzEnabled(cfg.filter_enabled_metadata, metadata), authorizer: authorizerOf(cfg) }];
  }
  return [];
}

export async function evaluateChain(chain: PickedChain, req: CheckRequest | undefined, conn: CheckConnection): Promise<CheckVerdict> {
  const metadata: Metadata = new Map();
  const steps: CheckStep[] = [];
  // Network RBAC first (before the HCM / tcp_proxy), then the HCM's filters; others are not security filters.
  const network = (chain.networkFilters as Entry[]).filter((f) => f.typed_config?.['@type'] === NETWORK_RBAC_TYPE);
  const entries: Entry[] = [...network, ...((req !== undefined ? chain.httpFilters ?? [] : []) as Entry[])];
  for (const entry of entries) {
    for (const step of await stepsOf(entry, req, conn, metadata)) {
      steps.push(step);
      const denied = denial(step);
      if (denied !== undefined) return { ...denied, steps };
    }
  }
  return { decision: 'ALLOWED', steps };
}
