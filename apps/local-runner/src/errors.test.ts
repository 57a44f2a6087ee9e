import { CommanderError } from 'commander';
import { TrellisError } from '@trellis/shared';
import { describeStartError } from './errors';

describe('describeStartError', () => {
  it('PORT_IN_USE names the port and suggests another one', () => {
    const err = new TrellisError('PORT_IN_USE', 'port is not available', { host: '127.0.0.1', port: 8080, reason: 'EADDRINUSE' });
    const text = describeStartError(err);
    expect(text).toBe(
      'Error: port 8080 on 127.0.0.1 is not available (EADDRINUSE). Stop whatever uses it, or choose another port: npm start -- --port 8081',
    );
  });

  it('PORT_IN_USE for the HTTPS port names --https-port', () => {
    const err = new TrellisError('PORT_IN_USE', 'port is not available', { host: '127.0.0.1', port: 8443, flag: '--https-port', reason: 'EADDRINUSE' });
    expect(describeStartError(err)).toMatch(/port 8443 on 127\.0\.0\.1 .*npm start -- --https-port 8444$/);
  });

  it('MARIADB_MISSING says which package to install', () => {
    const err = new TrellisError('MARIADB_MISSING', 'the mysqldb pod needs MariaDB', { missing: 'mariadbd', package: 'mariadb-server', install: 'apt-get install -y mariadb-server' });
    expect(describeStartError(err)).toBe(
      "Error: the mysqldb pod runs MariaDB, but mariadbd was not found. Install Debian's mariadb-server package (apt-get install -y mariadb-server), or start without --with mysql.",
    );
  });

  it('PORT_IN_USE never suggests the busy port itself', () => {
    const err = new TrellisError('PORT_IN_USE', 'port is not available', { host: '127.0.0.1', port: 8081, reason: 'EADDRINUSE' });
    expect(describeStartError(err)).toMatch(/port 8081 on 127\.0\.0\.1 .*npm start -- --port 8082$/);
    const privileged = new TrellisError('PORT_IN_USE', 'port is not available', { host: '0.0.0.0', port: 80, reason: 'EACCES' });
    expect(describeStartError(privileged)).toMatch(/port 80 on 0\.0\.0\.0 is not available \(EACCES\).*--port 81$/);
  });

  it('NOT_READY names the component, the wait, the last answer and where the logs are', () => {
    const err = new TrellisError('NOT_READY', 'component did not become ready', {
      component: 'reviews-v2.istio-proxy',
      url: 'http://127.0.10.12:15021/healthz/ready',
      timeoutMs: 30000,
      last: 'status 503',
    });
    expect(describeStartError(err)).toBe('Error: reviews-v2.istio-proxy did not become ready within 30s (status 503). Logs: .trellis/logs/');
    expect(describeStartError(err, '/tmp/state/logs/')).toMatch(/Logs: \/tmp\/state\/logs\/$/);
  });

  it('other TrellisErrors show code, message and context; plain errors their message', () => {
    expect(describeStartError(new TrellisError('MANIFEST_INVALID', 'bad manifest', { file: 'x.yaml' }))).toBe('Error [MANIFEST_INVALID]: bad manifest {"file":"x.yaml"}');
    expect(describeStartError(new Error('boom'))).toBe('Error: boom');
  });

  it('prints nothing more after commander displayed the help', () => {
    expect(describeStartError(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toBe('');
  });
});
