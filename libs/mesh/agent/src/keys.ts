import { generateKeyPair, type KeyObject } from 'node:crypto';
import type { KeyAlgorithm } from '@trellis/mesh-ca';

export interface WorkloadKey {
  readonly privateKey: KeyObject;
  /** Istio's encodings: PKCS#1 `RSA PRIVATE KEY` or SEC 1 `EC PRIVATE KEY`. */
  readonly privateKeyPem: string;
}

/**
 * A fresh key per certificate, as Istio's agent makes one per CSR. Generated off the event loop
 * (libuv's pool): an RSA 2048 key takes tens of milliseconds, which the data path must not wait for.
 */
export function generateWorkloadKey(algorithm: KeyAlgorithm): Promise<WorkloadKey> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, _publicKey: KeyObject, privateKey: KeyObject): void => {
      if (err) return reject(err);
      const type = algorithm.kind === 'rsa' ? 'pkcs1' : 'sec1';
      resolve({ privateKey, privateKeyPem: privateKey.export({ type, format: 'pem' }).toString() });
    };
    if (algorithm.kind === 'rsa') generateKeyPair('rsa', { modulusLength: algorithm.bits }, done);
    else generateKeyPair('ec', { namedCurve: algorithm.curve }, done);
  });
}
