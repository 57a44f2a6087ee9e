import type { ValidationError } from '../validation/validation-error';
import { schemaValidationError, type AnalysisMessage } from './messages';

/** Schema validation errors as IST0106 analysis messages (as istioctl analyze reports bad files). */
export function schemaValidationMessages(errors: readonly ValidationError[]): AnalysisMessage[] {
  return errors.map((e) =>
    schemaValidationError(
      { kind: e.kind || 'Unknown', namespace: e.namespace, name: e.name || `#${e.index ?? 0}` },
      e.path === '' ? e.message : `${e.path}: ${e.message}`,
    ),
  );
}
