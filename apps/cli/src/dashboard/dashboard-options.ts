/** What every `trellis dashboard` subcommand shares: istioctl's flags and the port-forward-then-open step. */
import { TrellisError } from '@trellis/shared';
import type { KubeApi } from '../client/kube-api';
import type { CommandContext } from '../context';
import { USAGE } from '../errors';
import { forwardToPod } from './kube-dashboard';
import { openBrowser } from './open-browser';

export interface DashboardOptions {
  port?: number;
  address: string;
  browser: boolean;
  uiPort?: number;
}

/** Resolves when the user interrupts (istioctl's ClosePortForwarderOnInterrupt); injectable for tests. */
export type WaitForStop = () => Promise<void>;
export const untilInterrupted: WaitForStop = () => new Promise((resolve) => process.once('SIGINT', () => resolve()));

export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new TrellisError(USAGE, `invalid port "${value}"`);
  return port;
}

export const parseBool = (value: string | boolean): boolean => value !== 'false' && value !== false;

/** istioctl's portForward: `--port` (else the remote port, else any free one), the URL opened, kept until interrupted. */
export async function forwardAndOpen(ctx: CommandContext, api: KubeApi, pod: { name: string; namespace: string }, remote: number, path: string, opts: DashboardOptions, wait: WaitForStop): Promise<void> {
  const ports = opts.port !== undefined && opts.port !== 0 ? [opts.port] : [remote, 0];
  const fw = await forwardToPod(api, pod, remote, opts.address, ports, (line) => ctx.io.stderr.write(line + '\n'));
  try {
    await openBrowser(`http://${fw.address}${path}`, (t) => ctx.out(t), opts.browser, process.platform, { ...ctx.io.env });
    await wait();
  } finally {
    fw.close();
  }
}
