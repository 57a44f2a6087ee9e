#!/bin/sh
# trellis-iptables: the proxy image's capture command (the injector's `trellis-init` init container,
# run as root with NET_ADMIN/NET_RAW). Takes istio-iptables flags, asks runCaptureCli for the rules
# as a shell script, then runs it. A bad flag prints the error and exits 1 before touching iptables.
set -eu
script="$(node /app/dist/trellis-iptables.js "$@")"
exec sh -c "$script"
