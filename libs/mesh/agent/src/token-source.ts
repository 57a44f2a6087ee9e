import { readFile } from 'node:fs/promises';
import { errorMessage } from '@trellis/shared';
import { AgentErrorCode, agentError } from './errors';

/** Where the agent's credential comes from; read for every request, as the kubelet rotates projected tokens. */
export type TokenSource = () => Promise<string>;

/**
 * The first of `paths` that exists: the projected `istio-token` (audience istio-ca), then e.g. the
 * legacy ServiceAccount token where the cluster cannot project one (Kubernetes 1.20 without the
 * issuer flags, Istio's first-party-jwt). Throws `AGENT_TOKEN_UNREADABLE` naming every path tried.
 */
export function fileTokenSource(paths: readonly string[]): TokenSource {
  return async () => {
    const reasons: Record<string, string> = {};
    for (const file of paths) {
      try {
        const token = (await readFile(file, 'utf8')).trim();
        if (token !== '') return token;
        reasons[file] = 'empty';
      } catch (err) {
        reasons[file] = errorMessage(err);
      }
    }
    throw agentError(AgentErrorCode.tokenUnreadable, 'no readable token file', { tried: reasons });
  };
}

/** The root that verifies the CA, read for every request (`--ca-root-cert`, the `istio-ca-root-cert` mount). */
export function fileRootSource(file: string): () => Promise<string> {
  return async () => {
    try {
      return await readFile(file, 'utf8');
    } catch (err) {
      throw agentError(AgentErrorCode.rootUnreadable, 'cannot read the CA root certificate', { file, reason: errorMessage(err) }, err);
    }
  };
}
