#!/usr/bin/env bash
# Build Kubernetes v1.20.2 binaries from Debian bookworm's `kubernetes` source package (the full upstream
# tree with vendor/) with Debian's Go 1.19, into a cache outside the repo:
#   ${TRELLIS_CACHE:-$HOME/.cache/trellis}/kube-v1.20.2/bin/   (+ bin/.stamp listing what was built)
# Recipe: /work/shared/reference/machine-notes.md "A real Kubernetes API server for tests".
#
# Usage: build.sh [--all | --print-bin-dir | BINARY...]
#   no args   the default set: $KUBE_ENV_BINARIES or "kube-apiserver kube-controller-manager kubectl"
#   --all     also kube-scheduler, kubelet, kube-proxy (the single-node cluster)
#   BINARY    any of: kube-apiserver kube-controller-manager kubectl kube-scheduler kubelet kube-proxy
# Cached binaries → returns at once. A flock serialises concurrent builds (two jest runs build once).
# The patched build tree (with the Go build cache in src/_output/local) stays in the cache dir so later
# builds of more binaries are incremental (~1–3 min); it is deleted only if the disk is short
# (< KUBE_ENV_MIN_FREE_GB, default 10 GB free) or when KUBE_ENV_CLEAN_TREE=1. `build.sh --clean` drops it.
set -euo pipefail
VERSION=v1.20.2
RECIPE=1 # bump when the build recipe changes: invalidates cached binaries
ALL=(kube-apiserver kube-controller-manager kubectl kube-scheduler kubelet kube-proxy)
CACHE=${TRELLIS_CACHE:-$HOME/.cache/trellis}/kube-$VERSION
BIN=$CACHE/bin
SRC=$CACHE/src
STAMP=$BIN/.stamp
LOG=$CACHE/build.log
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { echo "[kube-env] $*" >&2; }

want=()
case "${1:-}" in
  --print-bin-dir) echo "$BIN"; exit 0 ;;
  --clean) rm -rf "$SRC" "$CACHE/dl"; log "removed build tree $SRC"; exit 0 ;;
  --all) want=("${ALL[@]}") ;;
  -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
  "") read -r -a want <<<"${KUBE_ENV_BINARIES:-kube-apiserver kube-controller-manager kubectl}" ;;
  *) want=("$@") ;;
esac
for b in "${want[@]}"; do
  [[ " ${ALL[*]} " == *" $b "* ]] || { log "unknown binary '$b' (known: ${ALL[*]})"; exit 2; }
done

# A binary is cached when it exists and the stamp (header "recipe=N version=V", then one name a line) lists it.
missing() {
  local b
  if [ ! -f "$STAMP" ] || [ "$(head -1 "$STAMP")" != "recipe=$RECIPE version=$VERSION" ]; then
    echo "${want[@]}"; return
  fi
  for b in "${want[@]}"; do
    if [ ! -x "$BIN/$b" ] || ! grep -qx "$b" "$STAMP"; then echo -n "$b "; fi
  done
}
todo=$(missing)
[ -z "${todo// /}" ] && exit 0   # fast path: all cached

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  log "another build holds $CACHE/.lock; waiting …"
  flock 9
fi
todo=$(missing)   # the other holder may have built them
[ -z "${todo// /}" ] && exit 0
read -r -a todo <<<"$todo"

T0=$(date +%s)
bash "$HERE/install-deps.sh"

# --- source tree: apt-get source + vendor patch (once)
if [ ! -f "$SRC/.trellis-patched" ]; then
  log "fetching Debian's kubernetes source package (~40 MB) …"
  rm -rf "$SRC" "$CACHE/dl" && mkdir -p "$CACHE/dl"
  (cd "$CACHE/dl" && apt-get source --download-only kubernetes >"$LOG" 2>&1) || { cat "$LOG" >&2; exit 1; }
  dsc=$(ls "$CACHE"/dl/kubernetes_*.dsc | head -1)
  log "unpacking $(basename "$dsc") …"
  dpkg-source -x "$dsc" "$SRC.tmp" >>"$LOG" 2>&1 || { rm -rf "$SRC.tmp"; tail -20 "$LOG" >&2; exit 1; }
  # Mandatory for Go >= 1.18: the vendored reflect2 1.0.1 / json-iterator 1.1.10 make the apiserver segfault
  # on the first custom-resource write; use Debian's packaged (fixed) versions instead.
  for d in github.com/modern-go/reflect2 github.com/json-iterator/go; do
    [ -d "/usr/share/gocode/src/$d" ] || { log "missing /usr/share/gocode/src/$d (install-deps.sh)"; exit 1; }
    rm -f "$SRC.tmp/vendor/$d"/*.go
    rsync -a --exclude='*_test.go' --exclude='*test*/' --exclude='extra/' "/usr/share/gocode/src/$d/" "$SRC.tmp/vendor/$d/"
  done
  mv "$SRC.tmp" "$SRC"
  touch "$SRC/.trellis-patched"
  rm -rf "$CACHE/dl" "$CACHE"/kubernetes_*.orig.tar.* # dpkg-source copies the orig tarball next to the tree
fi

# --- build (GOPATH-mode Makefile build; the Go cache lives in $SRC/_output/local/go/cache)
what=""; for b in "${todo[@]}"; do what="$what cmd/$b"; done
if [ -d "$SRC/_output/local/go/cache" ]; then est="incremental, ~1–3 min"; else est="first time, ~6–8 min on 2 cores"; fi
log "building ${todo[*]} ($est; log: $LOG) …"
(
  cd "$SRC"
  export PATH=/usr/lib/go-1.19/bin:$PATH CGO_ENABLED=0 HOME=$CACHE/home GOPROXY=off GOFLAGS= \
    KUBE_GIT_VERSION=$VERSION KUBE_GIT_TREE_STATE=clean KUBE_GIT_MAJOR=1 KUBE_GIT_MINOR=20 \
    KUBE_GIT_COMMIT=faecb196815e248d3ecfb03c680a4507229c2a56
  mkdir -p "$HOME"
  make WHAT="${what# }" >>"$LOG" 2>&1
) &
mk=$!
while kill -0 $mk 2>/dev/null; do
  for _ in $(seq 60); do kill -0 $mk 2>/dev/null || break; sleep 1; done
  if kill -0 $mk 2>/dev/null; then log "  … still building ($(( $(date +%s) - T0 ))s)"; fi
done
if ! wait $mk; then
  log "build FAILED; last lines of $LOG:"; tail -30 "$LOG" >&2; exit 1
fi

mkdir -p "$BIN"
for b in "${todo[@]}"; do
  cp -f "$SRC/_output/bin/$b" "$BIN/.$b.tmp" && mv -f "$BIN/.$b.tmp" "$BIN/$b"
done
{
  echo "recipe=$RECIPE version=$VERSION"
  { [ -f "$STAMP" ] && [ "$(head -1 "$STAMP")" = "recipe=$RECIPE version=$VERSION" ] && tail -n +2 "$STAMP"; printf '%s\n' "${todo[@]}"; } | sort -u
} >"$STAMP.tmp" && mv -f "$STAMP.tmp" "$STAMP"
log "built ${todo[*]} in $(( $(date +%s) - T0 ))s → $BIN"

free_gb=$(df -Pk "$CACHE" | awk 'NR==2 {print int($4/1048576)}')
if [ "${KUBE_ENV_CLEAN_TREE:-}" = 1 ] || [ "$free_gb" -lt "${KUBE_ENV_MIN_FREE_GB:-10}" ]; then
  log "removing build tree $SRC (${free_gb} GB free); a later build starts from scratch"
  rm -rf "$SRC"
fi
