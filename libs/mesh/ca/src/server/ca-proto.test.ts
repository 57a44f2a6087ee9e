import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CA_PROTO, caServiceDefinition } from './ca-proto';

describe('ca.proto', () => {
  it('is the text ca-proto.ts embeds', () => {
    expect(CA_PROTO).toBe(readFileSync(path.join(__dirname, 'ca.proto'), 'utf8'));
  });

  it('defines CreateCertificate with field numbers of istio/api', () => {
    const method = caServiceDefinition()['CreateCertificate']!;
    expect(method.path).toBe('/istio.v1.auth.IstioCertificateService/CreateCertificate');
    const bytes = method.requestSerialize({ csr: 'x', validity_duration: 3600 });
    // field 1 (csr, LEN) then field 3 (validity_duration, VARINT)
    expect([...bytes.subarray(0, 1), bytes[3]]).toEqual([0x0a, 0x18]);
    const decoded = method.responseDeserialize(Buffer.from([0x0a, 0x01, 0x61, 0x0a, 0x01, 0x62])) as { cert_chain: string[] };
    expect(decoded.cert_chain).toEqual(['a', 'b']);
  });
});
