import type { Command } from 'commander';
import { authorizationPoliciesFor, type AuthorizationPolicy, type MeshService, type WorkloadInstance } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import { collect, globalsOf, type CommandContext, type GlobalOptions } from '../context';
import { findPod } from '../describe/describe-pod';
import { readProxyListeners } from '../describe/read-inbound';
import { toIstioctlJson, toYaml } from '../output/printers';
import { pickChain, servedPorts } from '../authz/chain-pick';
import { AUTHZ_CHECK_INVALID, checkConnection, checkRequest, isGateway, targetPort, type CheckOptions } from '../authz/check-target';
import type { CheckConnection, CheckRequest, CheckVerdict } from '../authz/check-types';
import { evaluateChain } from '../authz/evaluate-chain';
import { renderVerdict, verdictHeadline } from '../authz/render';

/**
 * `trellis x authz check <pod>`: would this request be allowed, and why not? The pod's proxy's own
 * listeners (its /config_dump, else what the control plane holds for it) are run through the proxy's
 * engines (`@trellis/mesh-rbac`, jwt_authn's `JwtAuthenticator`) in filter order. Exit code 0 when
 * allowed, 1 when denied or when an external (CUSTOM) authorizer decides, like `kubectl auth can-i`.
 */
interface Flags {
  port?: string;
  from?: string;
  method: string;
  path: string;
  host?: string;
  header: string[];
  jwt?: string;
  sourceIp?: string;
  tcp?: boolean;
  trustDomain: string;
}

function optionsOf(f: Flags): CheckOptions {
  const port = f.port === undefined ? undefined : Number(f.port);
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) throw new TrellisError(AUTHZ_CHECK_INVALID, `--port ${f.port ?? ''}: not a port number`);
  return { ...(port !== undefined && { port }), from: f.from, method: f.method, path: f.path, host: f.host, headers: f.header, jwt: f.jwt, sourceIp: f.sourceIp, tcp: f.tcp === true, trustDomain: f.trustDomain };
}

const podRef = (w: WorkloadInstance): string => `${w.name}.${w.namespace}`;

function header(pod: WorkloadInstance, port: number, chain: string, tls: boolean, req: CheckRequest | undefined, conn: CheckConnection, policies: readonly AuthorizationPolicy[]): string[] {
  const kind = isGateway(pod) ? 'gateway' : 'sidecar';
  const applied = policies.map((p) => `${p.metadata.name}.${p.metadata.namespace ?? 'default'} (${p.spec.action ?? 'ALLOW'})`);
  return [
    `Pod:      ${podRef(pod)} (${kind}), port ${port}, chain ${chain}${tls ? ' (TLS)' : ''}`,
    req === undefined ? 'Request:  a TCP connection' : `Request:  ${req.method} ${req.path} (Host ${req.authority})`,
    `From:     ${conn.principal ?? 'no peer identity (plaintext)'}${conn.sourceIp !== '' ? `, ${conn.sourceIp}` : ''}`,
    `AuthorizationPolicies selecting it: ${applied.length > 0 ? applied.join(', ') : 'none'}`,
  ];
}

async function check(ctx: CommandContext, globals: GlobalOptions, podArg: string, o: CheckOptions): Promise<void> {
  const dot = podArg.lastIndexOf('.');
  const namespace = dot < 0 ? globals.namespace : podArg.slice(dot + 1);
  const api = ctx.api(globals);
  const [workloads, services, policies] = await Promise.all([api.workloads(), api.services(), api.list('AuthorizationPolicy')]);
  const pod = findPod(workloads, dot < 0 ? podArg : podArg.slice(0, dot), namespace);
  if (!pod.sidecar && !isGateway(pod)) throw new TrellisError(AUTHZ_CHECK_INVALID, `pod ${podRef(pod)} has no sidecar: nothing enforces authorization there`);
  const read = await readProxyListeners(api, podRef(pod), pod.namespace);
  if ('unavailable' in read) throw new TrellisError(AUTHZ_CHECK_INVALID, `cannot read the listeners of ${podRef(pod)}: ${read.unavailable}`);
  const port = targetPort(o, pod, services as MeshService[]);
  const conn = checkConnection(o, pod, port, read.listeners, workloads, namespace);
  const chain = pickChain(read.listeners, port, { inbound: !isGateway(pod), mtls: conn.principal !== undefined, tcp: o.tcp });
  if (chain === undefined) throw new TrellisError(AUTHZ_CHECK_INVALID, `no listener of ${podRef(pod)} serves port ${port} (ports: ${servedPorts(read.listeners, !isGateway(pod)).join(', ')})`);
  const req = chain.httpFilters === undefined ? undefined : checkRequest(o, pod, port, services as MeshService[]);
  const verdict = await evaluateChain(chain, req, conn);
  const applied = authorizationPoliciesFor(policies as unknown as AuthorizationPolicy[], { namespace: pod.namespace, labels: pod.labels });
  print(ctx, globals, verdict, { pod: podRef(pod), port, chain: chain.chain, request: req, connection: conn, policies: applied.map((p) => `${p.metadata.name}.${p.metadata.namespace ?? ''}`) }, header(pod, port, chain.chain, chain.tls, req, conn, applied));
  ctx.exitCode = verdict.decision === 'ALLOWED' ? 0 : 1;
}

function print(ctx: CommandContext, globals: GlobalOptions, v: CheckVerdict, facts: Record<string, unknown>, head: string[]): void {
  if (globals.output === 'json' || globals.output === 'yaml') {
    const doc = { ...facts, decision: v.decision, summary: verdictHeadline(v), status: v.status, body: v.body, decidedBy: v.decidedBy, steps: v.steps };
    ctx.out(globals.output === 'json' ? toIstioctlJson(doc) : toYaml(JSON.parse(JSON.stringify(doc)) as unknown));
    return;
  }
  ctx.lines(renderVerdict(head, v));
}

export function registerAuthz(program: Command, ctx: CommandContext): void {
  const experimental = program.commands.find((c) => c.name() === 'experimental') ?? program.command('experimental').alias('x').description('Experimental commands');
  const authz = experimental.command('authz').description('Authorization: explain what a workload allows');
  authz
    .command('check')
    .description("Would this request to the pod be allowed? Runs it through the pod's proxy's own authorization filters and names the deciding policy and the near misses")
    .argument('<pod>', '<pod>[.<namespace>]')
    .option('--port <port>', 'pod port the request reaches (default: the first Service target port; gateways 8080)')
    .option('--from <pod|principal>', 'the client: a pod (<pod>[.<namespace>]) or a principal (cluster.local/ns/<ns>/sa/<sa>); default: a client without identity')
    .option('--method <method>', 'HTTP method', 'GET')
    .option('--path <path>', 'request path (with query)', '/')
    .option('--host <authority>', 'Host / :authority (default: the Service name and port)')
    .option('--header <name=value>', 'request header (repeatable)', collect, [])
    .option('--jwt <token>', 'send this token as Authorization: Bearer <token>')
    .option('--source-ip <ip>', "client address (default: the --from pod's)")
    .option('--tcp', 'a TCP connection instead of an HTTP request (network RBAC)')
    .option('--trust-domain <domain>', 'SPIFFE trust domain of --from pods', 'cluster.local')
    .action(async (podArg: string, flags: Flags, command: Command) => check(ctx, globalsOf(command), podArg, optionsOf(flags)));
}
