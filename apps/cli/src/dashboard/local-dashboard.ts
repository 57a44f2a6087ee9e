/**
 * `trellis dashboard` against the local stack: the addon's URL from `<state>/addons.json` (the runner's),
 * checked to answer. No port-forward: the addon listens on the control plane's loopback address already.
 */
import { request } from 'undici';
import { readLocalAddons } from '@trellis/mesh-local';
import { TrellisError, errorMessage } from '@trellis/shared';
import type { DashboardComponent } from './components';

export const LOCAL_STACK_NOT_RUNNING = 'LOCAL_STACK_NOT_RUNNING';
export const ADDON_NOT_RUNNING = 'ADDON_NOT_RUNNING';

/** The addon's base URL with the component's path, or a typed error saying what to do. */
export function localDashboardUrl(component: DashboardComponent, stateDir: string): string {
  if (component.localAddon === undefined && component.instead !== undefined) {
    throw new TrellisError(ADDON_NOT_RUNNING, `${component.flavor} does not run in local mode. ${component.instead}`, { component: component.name });
  }
  if (component.localAddon === undefined) {
    throw new TrellisError(ADDON_NOT_RUNNING, `${component.flavor} does not run in local mode (no ${component.name} addon); in a cluster: kubectl apply -f samples/addons`, { component: component.name });
  }
  const addons = readLocalAddons(stateDir);
  if (addons === undefined) {
    throw new TrellisError(LOCAL_STACK_NOT_RUNNING, `no local stack is running with this state dir (${stateDir}): start one with npm start`, { stateDir });
  }
  const running = addons.running.find((a) => a.name === component.localAddon);
  if (running !== undefined) return running.url + component.path;
  const missing = addons.missing.find((a) => a.name === component.localAddon);
  const fix = missing?.fix === undefined ? '' : `: ${missing.fix}, then restart npm start`;
  throw new TrellisError(ADDON_NOT_RUNNING, `${component.flavor} is not running in the local stack (${missing?.reason ?? 'not started'})${fix}`, { component: component.name });
}

/** Fails with ADDON_NOT_RUNNING when nothing answers at `url` (a stack killed without cleaning up). */
export async function assertAnswers(component: Pick<DashboardComponent, 'name' | 'flavor'>, url: string): Promise<void> {
  try {
    const res = await request(url, { headersTimeout: 2000, bodyTimeout: 2000 });
    await res.body.dump();
  } catch (err) {
    throw new TrellisError(ADDON_NOT_RUNNING, `${component.flavor} does not answer at ${url} (${errorMessage(err)}): is npm start still running?`, { component: component.name, url });
  }
}
