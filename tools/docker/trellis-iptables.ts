// Entry of the proxy image's `trellis-iptables` (bundled by the Dockerfile next to the proxy): istio-iptables
// flags → the capture script on stdout; tools/docker/trellis-iptables.sh runs it. Errors go to stderr, exit 1.
import { runCaptureCli } from '@trellis/mesh-inject';

try {
  process.stdout.write(runCaptureCli(process.argv.slice(2)));
} catch (err) {
  process.stderr.write(`trellis-iptables: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
