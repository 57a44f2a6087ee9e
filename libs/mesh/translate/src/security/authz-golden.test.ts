import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { authorizationPoliciesByAction, parseYamlDocuments, type AuthorizationPolicy } from '@trellis/mesh-api';
import { rbacHttpFilters, rbacTcpFilters } from './authz-builder';

/**
 * istiod's builder golden cases (testdata/ derived from pilot/pkg/security/authz/builder/testdata):
 * the policies of `*-in.yaml` selected for httpbin v1 in foo, built as istiod's TestGenerator_GenerateHTTP
 * / GenerateTCP do; each filter equals the matching `*-out[N].yaml` (proto YAML → our snake_case JSON).
 */

const DIR = join(__dirname, 'testdata');
const HTTPBIN = { namespace: 'foo', labels: { app: 'httpbin', version: 'v1' } };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Proto-JSON names → the contract's field names; wrapper `prefixLen: n` → `{value: n}`; proto3 defaults (ALLOW, no policies) made explicit. */
function normalise(v: Json, key = ''): Json {
  if (Array.isArray(v)) return v.map((x) => normalise(x));
  if (v === null || typeof v !== 'object') return key === 'prefix_len' ? { value: v } : v;
  const out: { [k: string]: Json } = {};
  for (const [k, x] of Object.entries(v)) {
    const name = key === 'policies' || k.startsWith('@') ? k : snake(k);
    out[name] = normalise(x, key === 'policies' ? '' : name);
  }
  if (key === 'rules' || key === 'shadow_rules') return { action: 'ALLOW', policies: {}, ...out };
  return out;
}

function load(file: string): Json {
  const docs = parseYamlDocuments(readFileSync(join(DIR, file), 'utf8'), file).objects;
  return normalise(docs[0] as Json);
}

function policies(file: string): AuthorizationPolicy[] {
  return parseYamlDocuments(readFileSync(join(DIR, file), 'utf8'), file).objects as AuthorizationPolicy[];
}

const build = (dir: 'http' | 'tcp', input: string): unknown[] => {
  const byAction = authorizationPoliciesByAction(policies(`${dir}/${input}-in.yaml`), HTTPBIN, 'istio-config');
  const o = { trustDomain: 'cluster.local' };
  return JSON.parse(JSON.stringify(dir === 'http' ? rbacHttpFilters(byAction, o) : rbacTcpFilters(byAction, o))) as unknown[];
};

describe('AuthorizationPolicy → envoy.filters.http.rbac (istiod golden cases)', () => {
  it.each([
    ['allow-empty-rule', ['out']],
    ['allow-full-rule', ['out']],
    ['allow-nil-rule', ['out']],
    ['allow-path', ['out']],
    ['audit-full-rule', ['out']],
    ['deny-and-allow', ['out1', 'out2']],
    ['deny-empty-rule', ['out']],
    ['dry-run-allow-and-deny', ['out1', 'out2']],
    ['dry-run-mix', ['out']],
    ['multiple-policies', ['out']],
    ['single-policy', ['out']],
  ])('%s', (input, outs) => {
    expect(build('http', input)).toEqual(outs.map((o) => load(`http/${input}-${o}.yaml`)));
  });
});

describe('AuthorizationPolicy → envoy.filters.network.rbac (istiod golden cases)', () => {
  it.each(['allow-both-http-tcp', 'allow-only-http', 'audit-both-http-tcp', 'deny-both-http-tcp', 'dry-run-mix'])('%s', (input) => {
    expect(build('tcp', input)).toEqual([load(`tcp/${input}-out.yaml`)]);
  });
});
