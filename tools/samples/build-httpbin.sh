#!/usr/bin/env bash
# Builds go-httpbin v2.14.0 — the httpbin Istio's samples/httpbin deploys (mccutchen/go-httpbin) —
# from the offline source snapshot with Debian's Go 1.19, once, into a cache outside the repo:
#   ${TRELLIS_CACHE:-$HOME/.cache/trellis}/go-httpbin-v2.14.0/bin/go-httpbin   (+ bin/.stamp = tarball sha256)
# Rebuilt only when the tarball's sha256 differs from the stamp. Local mode runs this binary for the
# httpbin pod (npm start -- --with httpbin).
#
#   tools/samples/build-httpbin.sh            build (fails with a message when Go or the tarball is missing)
#   tools/samples/build-httpbin.sh --if-go    what npm run build does: one line and exit 0 when Go or the tarball is missing
#   tools/samples/build-httpbin.sh --print-path
#
# Env: TRELLIS_CACHE, TRELLIS_VENDOR_SRC (default /work/shared/vendor-src), GO (default /usr/lib/go-1.19/bin/go, else go on PATH).
set -euo pipefail

VERSION=v2.14.0
VENDOR=${TRELLIS_VENDOR_SRC:-/work/shared/vendor-src}
TARBALL=$VENDOR/go-httpbin-$VERSION.tar.gz
CACHE=${TRELLIS_CACHE:-$HOME/.cache/trellis}/go-httpbin-$VERSION
BIN=$CACHE/bin/go-httpbin
STAMP=$CACHE/bin/.stamp

mode=build
case "${1:-}" in
  --if-go) mode=if-go ;;
  --print-path) echo "$BIN"; exit 0 ;;
  '') ;;
  *) echo "usage: $0 [--if-go|--print-path]" >&2; exit 2 ;;
esac

# Not built: a hard error when asked directly, one line when part of npm run build.
missing() {
  if [ "$mode" = if-go ]; then
    echo "go-httpbin not built ($1): npm start -- --with httpbin needs it; see tools/samples/build-httpbin.sh"
    exit 0
  fi
  echo "error: $1" >&2
  echo "$2" >&2
  exit 1
}

if [ ! -f "$TARBALL" ]; then
  missing "no source snapshot at $TARBALL" "Set TRELLIS_VENDOR_SRC to the directory holding go-httpbin-$VERSION.tar.gz."
fi
SUM=$(sha256sum "$TARBALL" | cut -d' ' -f1)
if [ -x "$BIN" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$SUM" ]; then
  [ "$mode" = build ] && echo "✔ go-httpbin $VERSION is built: $BIN"
  exit 0
fi

GO=${GO:-}
if [ -z "$GO" ]; then
  if [ -x /usr/lib/go-1.19/bin/go ]; then GO=/usr/lib/go-1.19/bin/go; else GO=$(command -v go || true); fi
fi
if [ -z "$GO" ] || [ ! -x "$GO" ]; then
  missing "Go not found" "Install Debian's Go 1.19: apt-get install -y golang-1.19-go (tools/kube-env/install-deps.sh installs it too)."
fi

echo "… building go-httpbin $VERSION with $("$GO" version | cut -d' ' -f3) (once, ~5–20 s)"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
tar xzf "$TARBALL" -C "$WORK"
mkdir -p "$CACHE/bin" "$CACHE/go-cache"
# No network: go-httpbin has no dependencies; -mod=mod because the snapshot has no vendor/ directory.
(cd "$WORK/go-httpbin" && env -u GOTOOLCHAIN GOFLAGS=-mod=mod GOPROXY=off CGO_ENABLED=0 GOCACHE="$CACHE/go-cache" \
  "$GO" build -trimpath -ldflags "-s -w -X main.version=$VERSION" -o "$WORK/go-httpbin.bin" ./cmd/go-httpbin)
mv "$WORK/go-httpbin.bin" "$BIN"
echo "$SUM" > "$STAMP"
echo "✔ go-httpbin $VERSION → $BIN"
