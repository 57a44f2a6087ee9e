/** One problem found in one submitted object. */
export interface ValidationError {
  kind: string;
  namespace: string;
  name: string;
  /** Field path in the object, e.g. `spec.http[0].route[1].weight` (empty for the whole object). */
  path: string;
  message: string;
  /** Position of the object in the submitted list. */
  index?: number;
}

/** `VirtualService default/reviews: spec.http[0].route[1].weight: must be integer, got string "50"` */
export function formatValidationError(e: ValidationError): string {
  const who = e.kind === '' && e.name === '' ? `object #${e.index ?? 0}` : `${e.kind || '<unknown kind>'} ${e.namespace}/${e.name}`;
  return e.path === '' ? `${who}: ${e.message}` : `${who}: ${e.path}: ${e.message}`;
}
