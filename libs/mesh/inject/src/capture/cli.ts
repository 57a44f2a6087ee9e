import { parseCaptureFlags } from './flags';
import { captureScript } from './script';

/**
 * Entry of the proxy image's `trellis-iptables` command: istio-iptables-style flags → the capture
 * script text. The image's wrapper runs `sh -c "$(node …/trellis-iptables.js "$@")"` as root with
 * NET_ADMIN/NET_RAW. Throws `CAPTURE_BAD_FLAG` / `INJECT_INVALID_CAPTURE` (the wrapper prints and exits 1).
 */
export function runCaptureCli(argv: readonly string[]): string {
  return captureScript(parseCaptureFlags(argv));
}
