import { isTrellisError } from '@trellis/shared';

/** One readable paragraph for why the stack did not start. */
export function describeStartError(err: Error): string {
  if (isTrellisError(err)) {
    const c = err.context;
    switch (err.code) {
      case 'PORT_IN_USE':
        return `Error: port ${String(c['port'])} on ${String(c['host'])} is not available (${String(c['reason'])}). Stop whatever uses it, or choose another port: npm start -- --port 8081`;
      case 'NOT_READY':
        return `Error: ${String(c['component'])} did not become ready within ${Number(c['timeoutMs']) / 1000}s (${String(c['last'])}). Logs: .trellis/logs/`;
      default:
        return `Error [${err.code}]: ${err.message} ${JSON.stringify(c)}`;
    }
  }
  if ('code' in err && err.code === 'commander.helpDisplayed') return '';
  return `Error: ${err.message}`;
}
