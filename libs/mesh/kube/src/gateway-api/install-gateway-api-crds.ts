import { TrellisError } from '@trellis/shared';
import type { KubeClient } from '../client/kube-client';
import { isNotFound } from '../client/errors';
import type { KubeObject } from '../client/types';
import { serverSideApply } from '../client/writes';
import { sleep } from '../informer/backoff';
import { countCelRules, stripCelValidations, supportsCel, type ServerVersion } from './crd-degrade';

/** One object of deploy/gateway-api (a CRD, or the ValidatingAdmissionPolicy and its binding). */
export interface GatewayApiManifest extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: KubeObject['metadata'] & { annotations?: Record<string, string> };
}

export interface GatewayApiCrdsInstall {
  /** `present`: the Gateway CRD was already there and nothing was applied. */
  action: 'installed' | 'present';
  /** `gateway.networking.k8s.io/bundle-version` of the Gateway CRD in the cluster (or being installed). */
  bundleVersion?: string;
  /** CRD names applied. */
  crds: string[];
  /** `x-kubernetes-validations` rules removed because the server has no CEL (0 when it has). */
  celRulesStripped: number;
  /** `Kind/name` of objects the server cannot take (no ValidatingAdmissionPolicy API). */
  skipped: string[];
}

export interface InstallGatewayApiCrdsOptions {
  fieldManager?: string;
  /** How long to wait for the CRDs to become Established (default 30 s). */
  timeoutMs?: number;
}

export const GATEWAY_CRD_NAME = 'gateways.gateway.networking.k8s.io';
const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const VAP_GROUP_VERSION = '/apis/admissionregistration.k8s.io/v1';
const VAP_PATHS: Readonly<Record<string, string>> = {
  ValidatingAdmissionPolicy: 'validatingadmissionpolicies',
  ValidatingAdmissionPolicyBinding: 'validatingadmissionpolicybindings',
};
const BUNDLE_VERSION = 'gateway.networking.k8s.io/bundle-version';

interface CrdState extends GatewayApiManifest {
  status?: { conditions?: { type: string; status: string }[] };
}

async function getCrd(client: KubeClient, name: string): Promise<CrdState | undefined> {
  try {
    return await client.request<CrdState>('GET', `${CRD_PATH}/${name}`);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function servedVapResources(client: KubeClient): Promise<Set<string>> {
  try {
    const list = await client.request<{ resources?: { name: string }[] }>('GET', VAP_GROUP_VERSION);
    return new Set((list.resources ?? []).map((r) => r.name));
  } catch (err) {
    if (isNotFound(err)) return new Set();
    throw err;
  }
}

/**
 * Install the Gateway API CRDs (`manifests`, upstream's standard channel) when
 * `gateways.gateway.networking.k8s.io` is absent, as Istio's docs do by hand; leave an installed
 * version alone. On servers without CEL (< 1.25) the `x-kubernetes-validations` rules are stripped
 * so the same schemas install; objects of APIs the server does not serve (the upgrade-guard
 * ValidatingAdmissionPolicy before 1.30) are skipped.
 */
export async function installGatewayApiCrds(client: KubeClient, manifests: readonly GatewayApiManifest[], options: InstallGatewayApiCrdsOptions = {}): Promise<GatewayApiCrdsInstall> {
  const existing = await getCrd(client, GATEWAY_CRD_NAME);
  if (existing !== undefined) {
    return { action: 'present', bundleVersion: existing.metadata.annotations?.[BUNDLE_VERSION], crds: [], celRulesStripped: 0, skipped: [] };
  }
  const cel = supportsCel(await client.request<ServerVersion>('GET', '/version'));
  const vap = await servedVapResources(client);
  const fieldManager = options.fieldManager ?? 'trellis-install';
  const result: GatewayApiCrdsInstall = { action: 'installed', crds: [], celRulesStripped: 0, skipped: [] };
  for (const m of manifests) {
    if (m.kind === 'CustomResourceDefinition') {
      const body = cel ? m : stripCelValidations(m);
      if (!cel) result.celRulesStripped += countCelRules(m);
      await serverSideApply(client, `${CRD_PATH}/${m.metadata.name}`, body, fieldManager);
      result.crds.push(m.metadata.name);
      if (m.metadata.name === GATEWAY_CRD_NAME) result.bundleVersion = m.metadata.annotations?.[BUNDLE_VERSION];
      continue;
    }
    const plural = VAP_PATHS[m.kind];
    if (m.apiVersion === 'admissionregistration.k8s.io/v1' && plural !== undefined && vap.has(plural)) {
      await serverSideApply(client, `${VAP_GROUP_VERSION}/${plural}/${m.metadata.name}`, m, fieldManager);
    } else {
      result.skipped.push(`${m.kind}/${m.metadata.name}`);
    }
  }
  await waitEstablished(client, result.crds, options.timeoutMs ?? 30_000);
  return result;
}

const established = (crd: CrdState | undefined): boolean => crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true;

async function waitEstablished(client: KubeClient, names: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const waiting = new Set(names);
  const never = new AbortController().signal;
  while (waiting.size > 0) {
    for (const name of [...waiting]) if (established(await getCrd(client, name))) waiting.delete(name);
    if (waiting.size === 0) return;
    if (Date.now() > deadline) throw new TrellisError('CRDS_NOT_ESTABLISHED', 'Gateway API CRDs were not established in time', { crds: [...waiting] });
    await sleep(100, never);
  }
}
