import { caResourceName, credentialResourceName, type GatewayServer, type TlsCredential } from '@trellis/mesh-api';
import type { Secret } from '@trellis/mesh-envoy';
import type { TranslateContext } from './context';

/**
 * Gateway credentials (`credentialName`) as istiod serves them (pilot/pkg/xds/sds.go, credentials/kube):
 * the Secret lives in the gateway proxy's namespace; `kubernetes://<name>` is its key pair and
 * `kubernetes://<name>-cacert` the CA bundle — from a Secret `<name>-cacert`, else the Secret's own
 * `ca.crt`/`cacert`.
 */

function credential(ctx: TranslateContext, name: string): TlsCredential | undefined {
  return (ctx.snapshot.credentials ?? []).find((c) => c.namespace === ctx.proxy.namespace && c.name === name);
}

/** The key pair of `name` in the proxy's namespace, if such a Secret carries one. */
export function hasKeyPair(ctx: TranslateContext, name: string): boolean {
  const c = credential(ctx, name);
  return c?.certChain !== undefined && c.privateKey !== undefined;
}

/** The CA bundle for `name`: Secret `<name>-cacert` first, then the Secret itself. */
export function caBundleOf(ctx: TranslateContext, name: string): string | undefined {
  return credential(ctx, `${name}-cacert`)?.caCert ?? credential(ctx, name)?.caCert;
}

/** Why a SIMPLE/MUTUAL server's chain cannot be built (Istio logs and skips it), or undefined. */
export function missingCredential(ctx: TranslateContext, server: GatewayServer): string | undefined {
  const name = server.tls?.credentialName;
  if (name === undefined || name === '') return undefined;
  if (!hasKeyPair(ctx, name)) return `secret ${ctx.proxy.namespace}/${name} not found or without a key pair`;
  const mutual = server.tls?.mode === 'MUTUAL' || server.tls?.mode === 'OPTIONAL_MUTUAL';
  if (mutual && caBundleOf(ctx, name) === undefined) return `secret ${ctx.proxy.namespace}/${name} has no CA certificate (ca.crt, or a ${name}-cacert Secret)`;
  return undefined;
}

/** Base64 of the text's bytes: atob-decoded Secret data is a byte string already; stringData may be UTF-8. */
function b64(text: string): string {
  // eslint-disable-next-line no-control-regex -- byte strings are exactly the code points 0–255
  if (/^[\u0000-\u00ff]*$/.test(text)) return btoa(text);
  return btoa(Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join(''));
}

/**
 * Every credential a router in this namespace may be sent, as SDS resources: the ADS server sends
 * only the names the proxy requests (SDS is never wildcard). Sidecars get none.
 */
export function gatewaySecrets(ctx: TranslateContext): Secret[] {
  if (ctx.proxy.type !== 'router') return [];
  const out: Secret[] = [];
  for (const c of ctx.snapshot.credentials ?? []) {
    if (c.namespace !== ctx.proxy.namespace) continue;
    if (c.certChain !== undefined && c.privateKey !== undefined) {
      out.push({ name: credentialResourceName(c.name), tls_certificate: { certificate_chain: { inline_bytes: b64(c.certChain) }, private_key: { inline_bytes: b64(c.privateKey) } } });
    }
    const ca = c.name.endsWith('-cacert') ? c.caCert : caBundleOf(ctx, c.name);
    const caName = c.name.endsWith('-cacert') ? `${credentialResourceName(c.name)}` : caResourceName(c.name);
    if (ca !== undefined && !out.some((s) => s.name === caName)) out.push({ name: caName, validation_context: { trusted_ca: { inline_bytes: b64(ca) } } });
  }
  return out.sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1));
}
