import { backoffDelayMs, DEFAULT_BACKOFF } from './backoff';
import { decodeCertificateResponse, encodeCertificateRequest } from './ca-wire';
import { jitteredGraceRatio, rotationDelayMs } from './rotation';

describe("Istio's rotation point", () => {
  const H = 3600_000;
  it('is expire − ratio × lifetime, measured from arrival; never negative', () => {
    expect(rotationDelayMs(0, 24 * H, 0.5, 0)).toBe(12 * H);
    expect(rotationDelayMs(0, 24 * H, 0.5, 5 * H)).toBe(7 * H);
    expect(rotationDelayMs(0, 24 * H, 0.1, 0)).toBe(21.6 * H);
    expect(rotationDelayMs(0, 24 * H, 0.5, 13 * H)).toBe(0);
  });

  it('jitters the ratio within ±jitter (0.5 ± 0.01 ≈ ±15 min on 24 h), clamped inside (0, 1)', () => {
    expect(jitteredGraceRatio(0.5, 0.01, () => 0)).toBeCloseTo(0.49);
    expect(jitteredGraceRatio(0.5, 0.01, () => 0.5)).toBeCloseTo(0.5);
    expect(jitteredGraceRatio(0.5, 0.01, () => 0.999999)).toBeCloseTo(0.51);
    const spread = [0, 1 - 1e-9].map((r) => rotationDelayMs(0, 24 * H, jitteredGraceRatio(0.5, 0.01, () => r), 0) - 12 * H);
    expect(spread.map((ms) => Math.round(ms / 60_000))).toEqual([14, -14]);
    expect(jitteredGraceRatio(0.999, 0.5, () => 1)).toBe(0.99);
  });
});

describe('back-off', () => {
  it('grows by the multiplier, spreads by ±randomization and stops at the cap', () => {
    const mid = (n: number): number => backoffDelayMs(DEFAULT_BACKOFF, n, () => 0.5);
    expect([1, 2, 3, 4].map(mid)).toEqual([500, 750, 1125, 1688]);
    expect(mid(40)).toBe(60_000);
    expect(backoffDelayMs(DEFAULT_BACKOFF, 1, () => 0)).toBe(250);
    expect(backoffDelayMs(DEFAULT_BACKOFF, 1, () => 0.999999)).toBe(750);
  });
});

describe('IstioCertificateService wire format', () => {
  it('encodes csr (1) and validity_duration (3) and reads repeated cert_chain (1), skipping other fields', () => {
    const req = encodeCertificateRequest('CSR', 86400);
    expect(req.toString('hex')).toBe(`0a03${Buffer.from('CSR').toString('hex')}1880a305`);
    expect(encodeCertificateRequest('x', 0).toString('hex')).toBe('0a0178');
    const long = 'a'.repeat(300);
    const res = Buffer.concat([Buffer.from([0x0a, 0xac, 0x02]), Buffer.from(long), Buffer.from([0x10, 0x05, 0x0a, 0x01, 0x62])]);
    expect(decodeCertificateResponse(res)).toEqual([long, 'b']);
    expect(() => decodeCertificateResponse(Buffer.from([0x0a, 0x05, 0x61]))).toThrow(/truncated/);
  });
});
