import { isNotFound } from './errors';
import type { KubeClient, Query } from './kube-client';
import type { KubeObject } from './types';

/**
 * Server-side apply `body` at `path` (creates or updates) as `fieldManager`, taking ownership of
 * conflicting fields (kubectl's --force-conflicts); `dryRun` asks the server to validate and admit
 * without persisting. Returns the object as the server has it.
 */
export function serverSideApply<T extends KubeObject = KubeObject>(
  client: KubeClient,
  path: string,
  body: unknown,
  fieldManager: string,
  options: { dryRun?: boolean } = {},
): Promise<T> {
  return client.request<T>('PATCH', path, {
    body,
    contentType: 'application/apply-patch+yaml',
    query: { fieldManager, force: true, dryRun: options.dryRun === true ? 'All' : undefined },
  });
}

/** DELETE `path`; false when the object was already gone. */
export async function deleteIfExists(client: KubeClient, path: string, query?: Query): Promise<boolean> {
  try {
    await client.request('DELETE', path, query === undefined ? undefined : { query });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
