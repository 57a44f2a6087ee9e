import { isTrellisError } from '@trellis/shared';

/**
 * One readable paragraph for why the stack did not start. `logsDir` is where the components' logs
 * are (`<state dir>/logs`, relative to the working directory when possible).
 */
export function describeStartError(err: Error, logsDir = '.trellis/logs/'): string {
  if (isTrellisError(err)) {
    const c = err.context;
    switch (err.code) {
      case 'PORT_IN_USE': {
        const port = Number(c['port']);
        const other = Number.isInteger(port) && port > 0 && port < 65535 ? port + 1 : 8081;
        const flag = typeof c['flag'] === 'string' ? c['flag'] : '--port';
        return `Error: port ${String(c['port'])} on ${String(c['host'])} is not available (${String(c['reason'])}). Stop whatever uses it, or choose another port: npm start -- ${flag} ${other}`;
      }
      case 'MARIADB_MISSING':
        return `Error: the mysqldb pod runs MariaDB, but ${String(c['missing'])} was not found. Install Debian's ${String(c['package'])} package (${String(c['install'])}), or start without --with mysql.`;
      case 'HTTPBIN_MISSING':
        return `Error: the httpbin pod runs go-httpbin, but ${String(c['binary'])} is not built. Build it once with ${String(c['build'])} (needs Debian's golang-1.19-go), or start without --with httpbin.`;
      case 'REDIS_MISSING':
        return `Error: the redis pod runs Redis, but redis-server was not found. Install Debian's ${String(c['package'])} package (apt-get install ${String(c['package'])}), or start without --with ratelimit.`;
      case 'NOT_READY':
        return `Error: ${String(c['component'])} did not become ready within ${Number(c['timeoutMs']) / 1000}s (${String(c['last'])}). Logs: ${logsDir}`;
      default:
        return `Error [${err.code}]: ${err.message} ${JSON.stringify(c)}`;
    }
  }
  if ('code' in err && err.code === 'commander.helpDisplayed') return '';
  return `Error: ${err.message}`;
}
