import type { KubeSecret, TlsCredential } from '../types';
import type { FieldProblem } from '../validation/ajv-errors';

/** The keys istiod reads (pilot/pkg/credentials/kube/secrets.go): TLS Secret, then generic. */
export const TLS_SECRET_KEYS = { cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt' } as const;
export const GENERIC_SECRET_KEYS = { cert: 'cert', key: 'key', ca: 'cacert' } as const;
export const TLS_SECRET_TYPE = 'kubernetes.io/tls';

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/;
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]+?-----END [A-Z0-9 ]+-----/;

/** The Secret's values decoded: `data` (base64) with `stringData` over it, as the apiserver stores them. */
export function secretValues(secret: KubeSecret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secret.data ?? {})) out[k] = BASE64.test(v) ? atob(v.replace(/\s/g, '')) : '';
  for (const [k, v] of Object.entries(secret.stringData ?? {})) out[k] = v;
  return out;
}

/** Which key set the values carry: the TLS one wins, as istiod checks it first. */
function keySet(values: Record<string, string>): typeof TLS_SECRET_KEYS | typeof GENERIC_SECRET_KEYS | undefined {
  if (values[TLS_SECRET_KEYS.cert] !== undefined && values[TLS_SECRET_KEYS.key] !== undefined) return TLS_SECRET_KEYS;
  if (values[GENERIC_SECRET_KEYS.cert] !== undefined && values[GENERIC_SECRET_KEYS.key] !== undefined) return GENERIC_SECRET_KEYS;
  return undefined;
}

function caOf(values: Record<string, string>): string | undefined {
  return values[TLS_SECRET_KEYS.ca] ?? values[GENERIC_SECRET_KEYS.ca];
}

/**
 * The Secret as a gateway credential, or undefined when it carries neither a key pair nor a CA
 * (istiod: "found secret, but didn't have expected keys"). Values are not parsed here: the proxy
 * refuses material that does not load, naming the secret.
 */
export function tlsCredentialOf(secret: KubeSecret): TlsCredential | undefined {
  const values = secretValues(secret);
  const keys = keySet(values);
  const caCert = caOf(values);
  if (keys === undefined && caCert === undefined) return undefined;
  const base = { namespace: secret.metadata.namespace ?? 'default', name: secret.metadata.name, version: secret.metadata.resourceVersion ?? '' };
  return {
    ...base,
    ...(keys !== undefined ? { certChain: values[keys.cert], privateKey: values[keys.key] } : {}),
    ...(caCert !== undefined ? { caCert } : {}),
  };
}

/** Problems with a Secret's TLS content (beyond its shape), each naming the `data` key. */
export function checkSecretTls(secret: KubeSecret): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const [k, v] of Object.entries(secret.data ?? {})) {
    if (!BASE64.test(v)) out.push({ path: `data.${k}`, message: 'illegal base64 data' });
  }
  if (out.length > 0) return out;
  const values = secretValues(secret);
  if (secret.type === TLS_SECRET_TYPE) {
    for (const k of [TLS_SECRET_KEYS.cert, TLS_SECRET_KEYS.key]) if (values[k] === undefined) out.push({ path: `data.${k}`, message: `required for a ${TLS_SECRET_TYPE} Secret` });
  }
  // Only a Secret that looks like a credential is held to PEM (a generic Secret may carry anything).
  const keys = keySet(values);
  const checked = keys === undefined ? [] : [keys.cert, keys.key, TLS_SECRET_KEYS.ca, GENERIC_SECRET_KEYS.ca];
  for (const k of checked) {
    const v = values[k];
    if (v !== undefined && v !== '' && !PEM_BLOCK.test(v)) out.push({ path: `data.${k}`, message: 'is not PEM' });
  }
  return out;
}
