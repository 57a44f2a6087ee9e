/**
 * The prebuilt Kiali UI (`build/` of @kiali/kiali-ui, fetched by tools/kiali-ui/fetch.mjs) as Kiali's
 * server serves it: index.html with its base href rewritten to the web root, and `env.js` telling the
 * React router that root (its basename is WEB_ROOT + '/console').
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TrellisError } from '@trellis/shared';

export const WEB_ROOT = '/kiali';
export const FETCH_COMMAND = 'node tools/kiali-ui/fetch.mjs';

export interface UiBuild {
  readonly dir: string;
  readonly indexHtml: string;
  readonly envJs: string;
}

/** `<base href="/"` → `<base href="/kiali/"` (Kiali's updateBaseURL); fails when the build has no base tag. */
export function rewriteBaseHref(html: string, webRoot: string): string {
  const base = /<base href="\/"/;
  if (!base.test(html)) throw new TrellisError('UI_MISSING', 'index.html of the Kiali UI has no <base href="/"> to rewrite', {});
  return html.replace(base, `<base href="${webRoot}/"`);
}

export function envJs(webRoot: string): string {
  return `window.WEB_ROOT='${webRoot}';\nwindow.HISTORY_MODE='browser';\n`;
}

/** Reads the build once at start-up; UI_MISSING (naming the fetch command) when it is not there. */
export function loadUiBuild(dir: string, webRoot = WEB_ROOT): UiBuild {
  const index = path.join(dir, 'index.html');
  if (!existsSync(index)) throw new TrellisError('UI_MISSING', `the Kiali UI is not in ${dir}: run ${FETCH_COMMAND}`, { dir, command: FETCH_COMMAND });
  return { dir, indexHtml: rewriteBaseHref(readFileSync(index, 'utf8'), webRoot), envJs: envJs(webRoot) };
}
