import type { Logger } from '@trellis/shared';
import type { SecretProvider } from '../sds/secret-provider';

/** What TLS contexts need beyond their config: the SDS secrets and where to log warming and rotation. */
export interface TlsEnv {
  readonly secrets?: SecretProvider | undefined;
  readonly logger?: Logger | undefined;
}
