import { readFileSync } from 'node:fs';
import path from 'node:path';

export const DEFAULT_ADDRESS = 'http://127.0.0.1:15014';
export const DEFAULT_STATE_DIR = '.trellis';

export interface AddressInputs {
  addr?: string;
  stateDir?: string;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/**
 * The control plane's base URL: `--addr`, then `TRELLIS_ADDR`, then the `address` the local runner
 * wrote to `<state-dir>/control-plane.json`, then the default metrics/debug port on loopback.
 */
export function resolveAddress(inputs: AddressInputs): string {
  const explicit = nonEmpty(inputs.addr) ?? nonEmpty(inputs.env['TRELLIS_ADDR']);
  if (explicit) return normalizeAddress(explicit);
  return normalizeAddress(stateAddress(inputs) ?? DEFAULT_ADDRESS);
}

/** The local runner's state dir, absolute: `--state-dir`, then `TRELLIS_STATE_DIR`, then `.trellis`. */
export function localStateDir(inputs: Omit<AddressInputs, 'addr'>): string {
  return path.resolve(inputs.cwd, nonEmpty(inputs.stateDir) ?? nonEmpty(inputs.env['TRELLIS_STATE_DIR']) ?? DEFAULT_STATE_DIR);
}

/** The `address` in `<state-dir>/control-plane.json` (written by the local runner), if any. */
export function stateAddress(inputs: Omit<AddressInputs, 'addr'>): string | undefined {
  return readStateAddress(path.join(localStateDir(inputs), 'control-plane.json'));
}

function readStateAddress(file: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && 'address' in parsed && typeof parsed.address === 'string') {
      return nonEmpty(parsed.address);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** Adds `http://` when missing and drops trailing slashes. */
export function normalizeAddress(address: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? address : `http://${address}`;
  return withScheme.replace(/\/+$/, '');
}

export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
