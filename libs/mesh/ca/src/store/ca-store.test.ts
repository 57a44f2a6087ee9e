import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@trellis/shared';
import { fixedClock, intermediateFrom, testRoot } from '../testing/fixtures';
import { openCertificateAuthority } from './ca-store';
import { fileCaStore } from './file-ca-store';

describe('openCertificateAuthority over the file store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'trellis-ca-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const open = (pluggedInDir?: string) =>
    openCertificateAuthority({ store: fileCaStore({ dir: path.join(dir, 'ca'), pluggedInDir }), trustDomain: 'cluster.local', clock: fixedClock, logger: silentLogger() });

  it('generates a root on first start, persists it (key 0600, dir 0700) and reuses it after a restart', async () => {
    const first = await open();
    expect(statSync(path.join(dir, 'ca', 'ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'ca')).mode & 0o777).toBe(0o700);
    expect(readFileSync(path.join(dir, 'ca', 'ca-cert.pem'), 'utf8')).toBe(first.rootPem);
    const second = await open();
    expect(second.rootPem).toBe(first.rootPem);
    expect(second.bundle.source).toBe('self-signed');
  });

  it('prefers plugged-in cacerts, and names the file when they are broken', async () => {
    const plugged = path.join(dir, 'cacerts');
    mkdirSync(plugged);
    const inter = intermediateFrom(testRoot());
    const write = (files: Record<string, string>): void => Object.entries(files).forEach(([f, text]) => writeFileSync(path.join(plugged, f), text));
    write({ 'ca-cert.pem': inter.caCert, 'ca-key.pem': inter.caKey, 'cert-chain.pem': inter.certChain!, 'root-cert.pem': inter.rootCert! });
    const ca = await open(plugged);
    expect(ca.bundle.source).toBe('plugged-in');
    expect(ca.rootPem).toBe(testRoot().caCert);
    write({ 'ca-key.pem': intermediateFrom(testRoot()).caKey });
    await expect(open(plugged)).rejects.toMatchObject({ code: 'CA_MATERIAL_INVALID', context: { file: 'ca-key.pem' } });
    rmSync(path.join(plugged, 'root-cert.pem'));
    await expect(open(plugged)).rejects.toMatchObject({ code: 'CA_MATERIAL_INVALID', context: { file: 'root-cert.pem' } });
  });
});
