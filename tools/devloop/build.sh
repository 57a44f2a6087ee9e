#!/usr/bin/env bash
# Builds `tilt` (v0.32.4) and `skaffold` (v2.7.0) from the offline source snapshots
# (/work/shared/vendor-src/*.tar.gz, every Go dependency vendored) with Debian's Go 1.19, once, into a
# cache outside the repo — beside tools/kube-env's Kubernetes binaries:
#   ${TRELLIS_CACHE:-$HOME/.cache/trellis}/devloop/bin/{tilt,skaffold}
#   (+ bin/.stamp-<tool> = "recipe=N sha256=<tarball sha256>": rebuilt only when the tarball or recipe changes)
#
# Usage: build.sh [--print-bin-dir | --if-go | TOOL...]     TOOL: tilt skaffold (default: both)
#   --if-go   one line and exit 0 when Go or a tarball is missing (for CI's background build)
# Cached → returns at once. A flock serialises concurrent builds. Cold: tilt ~140 s, skaffold ~100 s on
# 2 cores; the Go build cache stays in devloop/go-cache so a rebuild after a recipe bump is quick.
#
# Env: TRELLIS_CACHE; TRELLIS_VENDOR_SRC (default: ../shared/vendor-src from the repo root, else
# /work/shared/vendor-src); GO (default /usr/lib/go-1.19/bin/go, else go on PATH);
# KUBE_ENV_SKIP_DEPS=1 skips the apt step of tools/kube-env/install-deps.sh (which installs Go).
set -euo pipefail
RECIPE=1 # bump when the build recipe changes: invalidates cached binaries
TILT_VERSION=v0.32.4
SKAFFOLD_VERSION=v2.7.0
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CACHE=${TRELLIS_CACHE:-$HOME/.cache/trellis}/devloop
BIN=$CACHE/bin
LOG=$CACHE/build.log
log() { echo "[devloop] $*" >&2; }

mode=build; want=()
case "${1:-}" in
  --print-bin-dir) echo "$BIN"; exit 0 ;;
  --if-go) mode=if-go; shift; want=("$@") ;;
  -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
  *) want=("$@") ;;
esac
[ ${#want[@]} -gt 0 ] || want=(tilt skaffold)

vendor_dir() {
  if [ -n "${TRELLIS_VENDOR_SRC:-}" ]; then echo "$TRELLIS_VENDOR_SRC"; return; fi
  if [ -d "$ROOT/../shared/vendor-src" ]; then (cd "$ROOT/../shared/vendor-src" && pwd); return; fi
  echo /work/shared/vendor-src   # a clone elsewhere (e.g. /tmp/x-e2e) of /work/main
}
VENDOR=$(vendor_dir)

fail() { # <what> <hint>
  if [ "$mode" = if-go ]; then log "not built ($1): $2"; exit 0; fi
  log "error: $1"; log "$2"; exit 1
}

tarball() { case "$1" in
  tilt) echo "$VENDOR/tilt-$TILT_VERSION.tar.gz" ;;
  skaffold) echo "$VENDOR/skaffold-$SKAFFOLD_VERSION.tar.gz" ;;
  *) log "unknown tool '$1' (known: tilt skaffold)"; exit 2 ;;
esac; }

stamp_of() { echo "recipe=$RECIPE sha256=$(sha256sum "$(tarball "$1")" | cut -d' ' -f1)"; }
cached() { [ -x "$BIN/$1" ] && [ "$(cat "$BIN/.stamp-$1" 2>/dev/null)" = "$(stamp_of "$1")" ]; }

for t in "${want[@]}"; do
  tb=$(tarball "$t")
  [ -f "$tb" ] || fail "no source snapshot at $tb" "Set TRELLIS_VENDOR_SRC to the directory holding $(basename "$tb") (see /work/shared/vendor-src/README.md)."
done
todo() { local t; for t in "${want[@]}"; do cached "$t" || echo -n "$t "; done; }
[ -z "$(todo)" ] && exit 0   # fast path: all cached

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then log "another build holds $CACHE/.lock; waiting …"; flock 9; fi
read -r -a pending <<<"$(todo)"
[ ${#pending[@]} -gt 0 ] || exit 0

[ "$mode" = if-go ] || bash "$ROOT/tools/kube-env/install-deps.sh" >&2 || true
GO=${GO:-}
if [ -z "$GO" ]; then
  if [ -x /usr/lib/go-1.19/bin/go ]; then GO=/usr/lib/go-1.19/bin/go; else GO=$(command -v go || true); fi
fi
[ -n "$GO" ] && [ -x "$GO" ] || fail "Go not found" "Install Debian's Go 1.19: apt-get install -y golang-1.19-go (tools/kube-env/install-deps.sh installs it)."
command -v gcc >/dev/null || fail "gcc not found (tilt's tree-sitter is cgo)" "apt-get install -y gcc"

# go build in the background with a progress line every 30 s (the cold build is minutes of CPU).
go_build() { # <tool> <srcdir> <cgo> <ldflags> <tags> <pkg>
  local t=$1 t0; t0=$(date +%s)
  (cd "$2" && env -u GOTOOLCHAIN GOFLAGS=-mod=vendor GOPROXY=off GOCACHE="$CACHE/go-cache" CGO_ENABLED="$3" \
    HOME="$CACHE/home" "$GO" build -trimpath -tags "$5" -ldflags "$4" -o "$BIN/.$t.tmp" "$6") >>"$LOG" 2>&1 &
  local pid=$!
  while kill -0 $pid 2>/dev/null; do
    for _ in $(seq 30); do kill -0 $pid 2>/dev/null || break; sleep 1; done
    if kill -0 $pid 2>/dev/null; then log "  … still building $t ($(( $(date +%s) - t0 ))s)"; fi
  done
  wait $pid || { log "building $t FAILED; last lines of $LOG:"; tail -30 "$LOG" >&2; exit 1; }
}

build_one() { # <tool>
  local t=$1 tb src date t0 est; tb=$(tarball "$t"); t0=$(date +%s)
  src=$CACHE/src; rm -rf "$src"; mkdir -p "$src" "$BIN" "$CACHE/home"
  case "$t" in tilt) est="~140 s" ;; *) est="~100 s" ;; esac
  est="$est on 2 idle cores with a cold Go cache, less when warm"
  log "building $t from $(basename "$tb") with $("$GO" version | cut -d' ' -f3) ($est; log: $LOG) …"
  tar xzf "$tb" -C "$src"
  date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  case "$t" in
    # as tilt's goreleaser: main.version / main.date (tilt version prints them)
    tilt) go_build tilt "$src/tilt" 1 "-s -w -X main.version=${TILT_VERSION#v} -X main.date=$date" "" ./cmd/tilt ;;
    # as skaffold's Makefile (GO_LDFLAGS, linux tags minus `release`, which only gates a licence check)
    skaffold) go_build skaffold "$src/skaffold" 0 \
      "-s -w -X github.com/GoogleContainerTools/skaffold/v2/pkg/skaffold/version.version=$SKAFFOLD_VERSION -X github.com/GoogleContainerTools/skaffold/v2/pkg/skaffold/version.buildDate=$date" \
      "timetzdata osusergo netgo" ./cmd/skaffold ;;
  esac
  mv -f "$BIN/.$t.tmp" "$BIN/$t"
  stamp_of "$t" >"$BIN/.stamp-$t"
  rm -rf "$src"
  log "built $t in $(( $(date +%s) - t0 ))s → $BIN/$t"
}

: >"$LOG"
for t in "${pending[@]}"; do build_one "$t"; done
