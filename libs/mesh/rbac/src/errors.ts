/**
 * The one error this lib throws: a config it cannot compile. `code` is stable; `policy` names the
 * policy, `detail` is the sentence without the resource (the proxy NACKs with it under its own
 * resource name), `message` adds the resource for the CLI.
 */
export class RbacConfigError extends Error {
  override readonly name = 'RbacConfigError';
  readonly code = 'RBAC_INVALID';
  readonly detail: string;

  constructor(
    readonly policy: string,
    readonly reason: string,
    readonly resource = '',
  ) {
    const detail = `policy ${JSON.stringify(policy)}: ${reason}`;
    super(resource === '' ? detail : `${resource}: ${detail}`);
    this.detail = detail;
  }
}
