import type { VirtualServiceSpec } from '../types';
import type { FieldProblem } from './ajv-errors';

/**
 * Istio's webhook check of a VirtualService's mirrors beyond the schema (`validateHTTPRoute`):
 * an HTTP route takes `mirror` (with `mirrorPercentage`) or the `mirrors` list, not both.
 */
export function checkVirtualServiceMirrors(spec: VirtualServiceSpec): FieldProblem[] {
  return (spec.http ?? []).flatMap((http, i) =>
    http.mirror !== undefined && (http.mirrors ?? []).length > 0 ? [{ path: `spec.http[${i}]`, message: 'HTTP route cannot contain both mirror and mirrors' }] : [],
  );
}
