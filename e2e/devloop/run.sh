#!/usr/bin/env bash
# npm run e2e:devloop — Tilt (v0.32.4) and Skaffold (v2.7.0), built from source by tools/devloop/build.sh, run for
# real on the repo's Tiltfile and skaffold.yaml against the single-node cluster set up as a kind user has it
# (context kind-trellis, kind's local registry with its KEP-1755 ConfigMap; docs/kind.md):
#   tilt ci → Getting Started through the gateway → tilt up + a live update (save → visible, timed) → tilt down →
#   skaffold run → the same checks → skaffold dev + an edit redeployed → skaffold delete → nothing left.
# Edits happen in a checkout under $WORK, never in this tree. Holds /tmp/trellis-cluster.lock throughout.
#
#   E2E_CLUSTER_KEEP=1          leave the cluster running afterwards
#   E2E_DEVLOOP_LIVE_TARGET     seconds allowed from save to visible change (default 10)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "e2e:devloop needs root (network namespaces, dockerd, kubelet)" >&2; exit 1; }
bash tools/devloop/build.sh   # outside the lock: minutes of CPU the first time, a no-op when cached
if [ -z "${TRELLIS_CLUSTER_LOCK_HELD:-}" ]; then
  flock -n /tmp/trellis-cluster.lock true || echo "[e2e] waiting for /tmp/trellis-cluster.lock (another cluster user) …"
  exec env TRELLIS_CLUSTER_LOCK_HELD=1 flock /tmp/trellis-cluster.lock bash "$0" "$@"
fi
REPO=$(pwd)
export T0=$(date +%s.%N)
C=tools/cluster/cluster.sh
source tools/cluster/lib.sh
source e2e/cluster/lib.sh
source e2e/devloop/lib.sh
DEVBIN=$(bash tools/devloop/build.sh --print-bin-dir)
WORK=$(mktemp -d /tmp/e2e-devloop.XXXXXX)
LIVE_TARGET=${E2E_DEVLOOP_LIVE_TARGET:-10}
BG=""
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

cleanup() {
  local rc=$? p
  for p in $BG; do stop_pid "$p"; done
  if [ "$rc" != 0 ]; then
    echo "--- e2e:devloop failed; logs in $WORK/*.log (kept); cluster state:" >&2
    KUBECONFIG=$K/kubeconfig kubectl get pods -A -o wide >&2 2>/dev/null || true
    KUBECONFIG=$K/kubeconfig kubectl get events -A --sort-by=.lastTimestamp 2>/dev/null | tail -20 >&2 || true
  fi
  cd "$REPO"
  [ "${E2E_CLUSTER_KEEP:-}" = 1 ] || bash $C down
  if [ "$rc" = 0 ]; then rm -rf "$WORK"; else rm -rf "$WORK/trellis" "$WORK/xdg"; fi
}
trap cleanup EXIT

# What a kind user has in their shell: the tools on PATH, kind's context, Tilt/Skaffold state of their own.
mkdir -p "$WORK/bin" "$WORK/xdg"
ln -s "$DEVBIN/tilt" "$DEVBIN/skaffold" "$WORK/bin/"
: >"$WORK/kubeconfig"   # filled by kind_kubeconfig once the cluster is up
export PATH=$WORK/bin:$PATH KUBECONFIG=$WORK/kubeconfig
export XDG_CONFIG_HOME=$WORK/xdg/config XDG_DATA_HOME=$WORK/xdg/data XDG_CACHE_HOME=$WORK/xdg/cache XDG_STATE_HOME=$WORK/xdg/state
export TILT_DISABLE_ANALYTICS=1 TILT_HOST=127.0.0.1 TILT_PORT=$(free_port)
export SKAFFOLD_UPDATE_CHECK=false SKAFFOLD_INTERACTIVE=false SKAFFOLD_CONFIG=$WORK/skaffold-global.yaml
# Tilt fetches ext:// extensions with git from github.com; git serves them from a local repo instead.
export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="url.file://$WORK/tilt-extensions.insteadOf" \
  GIT_CONFIG_VALUE_0=https://github.com/tilt-dev/tilt-extensions

step "Tilt and Skaffold, built from the offline source snapshots ($DEVBIN)"
must "tilt version"
expect '^v0\.32\.4' 'tilt v0.32.4'
must "skaffold version"
expect '^v2\.7\.0' 'skaffold v2.7.0'
must "skaffold config set --global collect-metrics false"

step "A kind-like cluster: tools/cluster + kind's local registry"
bash $C down >/dev/null 2>&1 || true
t=$(date +%s.%N); bash $C up >"$WORK/cluster-up.log" 2>&1 || { tail -30 "$WORK/cluster-up.log"; fail "cluster.sh up"; }
UP_SECS=$(since "$t"); ok "cluster up in $UP_SECS s"
kind_kubeconfig "$KUBECONFIG"
must "kubectl config current-context"
expect '^kind-trellis$' 'context kind-trellis (as kind names it)'
must "kubectl -n kube-public get configmap local-registry-hosting -o jsonpath='{.data.localRegistryHosting\.v1}'"
expect 'host: "localhost:5000"' 'KEP-1755 local-registry-hosting advertises localhost:5000'
must "kubectl label namespace default istio-injection=enabled --overwrite"
user_checkout "$WORK/trellis"
tilt_extensions "$WORK/tilt-extensions"
cd "$WORK/trellis"
ok "a checkout to edit: $WORK/trellis"
t=$(date +%s.%N)
npm_layers "$WORK/trellis" >"$WORK/npm-layers.log" 2>&1 || { tail -30 "$WORK/npm-layers.log"; fail "building the npm ci layers"; }
IMAGES_SECS=$(since "$t")
ok "npm ci layers of both Dockerfiles in the node's build cache ($IMAGES_SECS s)"

step "tilt ci (build every image, push to the local registry, deploy, wait for every resource)"
t=$(date +%s.%N)
run "tilt ci --timeout 15m >$WORK/tilt-ci.log 2>&1"
grep -E 'Successfully loaded Tiltfile|Pushing|Loading image to KIND|Build Failed|Error|SUCCESS|ERROR' "$WORK/tilt-ci.log" | head -40 || true
[ "$RC" = 0 ] || { tail -60 "$WORK/tilt-ci.log"; fail "tilt ci exited $RC"; }
TILT_CI_SECS=$(since "$t")
grep -q 'Loading image to KIND' "$WORK/tilt-ci.log" && fail "Tilt used kind load instead of the registry"
ok "tilt ci green in $TILT_CI_SECS s"
must "curl -fsS http://$NODE_IP:5000/v2/_catalog"
expect 'localhost:5000|trellis_proxy' 'the images are in the local registry'
images_from_registry localhost:5000/trellis_
ok "every container (injected sidecars and init containers too) runs a Tilt-built image from localhost:5000"
gateway_checks "tilt ci"

step "tilt up: a live update — reviews v3's stars turn blue"
t=$(date +%s.%N)
tilt up --stream >"$WORK/tilt-up.log" 2>&1 &
TILT_PID=$!; BG="$BG $TILT_PID"
wait_tilt_api 60 "$TILT_PID"
wait_tilt_ready 600 "$TILT_PID"
ok "every Tilt resource built/deployed and ready ($(since "$t") s after tilt up)"
gateway_checks "tilt up"
EDIT_AT=$(date +%s.%N)
EDIT_LINE=$(wc -l <"$WORK/tilt-up.log")
edit_star_colour "$WORK/trellis"
ok "saved apps/reviews/src/reviews-json.ts (red → blue)"
until_blue 180
LIVE_SECS=$BLUE_SECS
since_edit=$(tail -n +"$((EDIT_LINE + 1))" "$WORK/tilt-up.log" | grep -v '"level"')
grep -E 'Files Changed|Running cmd|Will copy|Container .* updated|restart_process|Building Dockerfile' <<<"$since_edit" | head -16 || true
! grep -q 'Building Dockerfile' <<<"$since_edit" || fail "the edit rebuilt an image instead of a live update"
grep -q 'Will copy' <<<"$since_edit" || fail "no live update (Tilt's 'Will copy … to container') after the edit"
ok "blue stars through the gateway $LIVE_SECS s after the save"
awk -v s="$LIVE_SECS" -v t="$LIVE_TARGET" 'BEGIN{exit !(s <= t)}' || fail "live update took $LIVE_SECS s (target ≤ $LIVE_TARGET s)"
stop_pid "$TILT_PID"; BG=""
run "tilt down"
[ "$RC" = 0 ] || fail "tilt down exited $RC"
git checkout -q -- apps/reviews/src/reviews-json.ts

step "skaffold run (build, push to the local registry, deploy, wait)"
t=$(date +%s.%N)
run "skaffold run >$WORK/skaffold-run.log 2>&1"
grep -E 'Generating tags|Checking cache|Building|Pushing|Loading images|Deployments stabilized|error' "$WORK/skaffold-run.log" | head -30 || true
[ "$RC" = 0 ] || { tail -60 "$WORK/skaffold-run.log"; fail "skaffold run exited $RC"; }
SKAFFOLD_RUN_SECS=$(since "$t")
grep -q 'Loading images into kind' "$WORK/skaffold-run.log" && fail "Skaffold used kind load instead of the registry"
ok "skaffold run green in $SKAFFOLD_RUN_SECS s"
rolled_out
ok "every Deployment rolled out"
images_from_registry localhost:5000/trellis_
ok "every container runs a Skaffold-built image from localhost:5000 (istiod's TRELLIS_PROXY_IMAGE rewritten by resourceSelector)"
gateway_checks "skaffold run"

step "skaffold dev: an edit rebuilt and redeployed"
skaffold dev --port-forward=off --cleanup=false >"$WORK/skaffold-dev.log" 2>&1 &
SK_PID=$!; BG="$BG $SK_PID"
wait_log "$WORK/skaffold-dev.log" 'Watching for changes' 900 "$SK_PID"
ok "skaffold dev is watching"
EDIT_AT=$(date +%s.%N)
edit_star_colour "$WORK/trellis"
ok "saved apps/reviews/src/reviews-json.ts (red → blue)"
until_blue 600
DEV_SECS=$BLUE_SECS
ok "blue stars through the gateway $DEV_SECS s after the save (image rebuilt and redeployed)"
stop_pid "$SK_PID"; BG=""

step "skaffold delete leaves the cluster clean"
run "skaffold delete"
[ "$RC" = 0 ] || fail "skaffold delete exited $RC"
# skaffold delete returns once the objects are deleted; pods drain for up to their grace period (Bookinfo's 5 s
# drain) and the namespace finalises after them, as kubectl delete without --wait=true leaves them.
gone_within 120 "kubectl get pods -n default --no-headers"
gone_within 120 "kubectl get namespace istio-system --ignore-not-found --no-headers"
must "kubectl get deploy,svc,pods -n default --no-headers"
left=$(grep -v '^service/kubernetes ' <<<"$OUT" | grep -v '^$' || true)
[ -z "$left" ] || fail "left in default: $left"
must "kubectl get namespace istio-system --ignore-not-found"
[ -z "$OUT" ] || fail "namespace istio-system is still there"
must "kubectl get crd -o name"
! grep -q 'istio.io' <<<"$OUT" || fail "Istio CRDs left: $(grep istio.io <<<"$OUT" | tr '\n' ' ')"
ok "nothing left: no Bookinfo, no istio-system namespace, no Istio CRDs"
must "kubectl get mutatingwebhookconfigurations --no-headers"
LEFT_WEBHOOKS=$OUT

echo
echo "== e2e:devloop passed in $(since "$T0") s"
printf '  cluster up: %s s   npm layers: %s s   tilt ci: %s s   live update save → visible: %s s (target ≤ %s s)\n' \
  "$UP_SECS" "$IMAGES_SECS" "$TILT_CI_SECS" "$LIVE_SECS" "$LIVE_TARGET"
printf '  skaffold run: %s s   skaffold dev edit → redeployed and visible: %s s\n' "$SKAFFOLD_RUN_SECS" "$DEV_SECS"
[ -z "$LEFT_WEBHOOKS" ] || printf '  left after skaffold delete (created by istiod at run time, not in the manifests): %s\n' "$LEFT_WEBHOOKS"
