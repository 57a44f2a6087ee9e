import type { CaptureOptions } from './options';
import { CAPTURE_CHAINS, captureRules } from './rules';

/** The jumps from the built-in chains into ours; removed first so re-running never duplicates them. */
const BUILTIN_JUMPS = ['PREROUTING -p tcp -j ISTIO_INBOUND', 'OUTPUT -j ISTIO_OUTPUT'] as const;

function cleanup(): string[] {
  const lines = BUILTIN_JUMPS.map((jump) => `while iptables -t nat -D ${jump} 2>/dev/null; do :; done`);
  for (const chain of CAPTURE_CHAINS) lines.push(`iptables -t nat -F ${chain} 2>/dev/null || true`);
  for (const chain of CAPTURE_CHAINS) lines.push(`iptables -t nat -X ${chain} 2>/dev/null || true`);
  return lines;
}

/**
 * A POSIX sh script installing the capture rules. Idempotent: it first removes our jumps and
 * flushes/deletes our chains, then recreates everything (`set -e` from there on).
 */
export function captureScript(options: CaptureOptions): string {
  const rules = captureRules(options);
  return [
    '#!/bin/sh',
    '# trellis traffic capture (istio-iptables compatible, nat REDIRECT mode); generated, do not edit.',
    '# Remove any previous installation so the script can run again safely.',
    ...cleanup(),
    'set -e',
    ...rules,
    'iptables-save -t nat 2>/dev/null || true',
    '',
  ].join('\n');
}
