#!/usr/bin/env bash
# npm run e2e:cluster — on a fresh single-node cluster (tools/cluster), build the project images with the
# repo's Dockerfile, run Istio's walkthrough (walkthrough.sh), report times and memory, then tear down.
#
#   E2E_CLUSTER_KEEP=1   leave the cluster running afterwards (inspect with tools/cluster/cluster.sh status)
#   E2E_CLUSTER_SKIP_IMAGES=1   reuse the images already in the node's store (the node's image store
#                               survives `down`; faster reruns while working on the walkthrough)
#   E2E_CLUSTER_CHAOS=short|1|only|0   after the walkthrough, e2e/cluster/chaos.sh's short variant (short, the
#                               default: ≤ 60 s, reviews-v2 and gateway rollouts at 10 rps), its full table with
#                               the pod delete and istiod's SIGKILL during an apply (1), the full table alone
#                               (only: npm run chaos:cluster), or no chaos (0) — issue #23 on the cluster
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "e2e:cluster needs root (network namespaces, dockerd, kubelet)" >&2; exit 1; }
export T0=$(date +%s.%N)
C=tools/cluster/cluster.sh
LOGS=$(mktemp -d)
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

cleanup() {
  local rc=$?
  if [ "$rc" != 0 ]; then
    echo "--- e2e:cluster failed; cluster state:" >&2
    bash $C status >&2 || true
    source tools/cluster/lib.sh
    kubectl get events -A --sort-by=.lastTimestamp 2>/dev/null | tail -25 >&2 || true
    for d in istiod istio-ingressgateway; do kubectl -n istio-system logs deploy/$d --tail=30 >&2 2>/dev/null || true; done
  fi
  [ "${E2E_CLUSTER_KEEP:-}" = 1 ] || bash $C down
  rm -rf "$LOGS"
}
trap cleanup EXIT

bash $C down >/dev/null 2>&1 || true
node tools/build/build.mjs --quiet cli
t=$(date +%s.%N)
bash $C up
UP_SECS=$(since "$t")
t=$(date +%s.%N)
if [ "${E2E_CLUSTER_SKIP_IMAGES:-}" = 1 ]; then echo "[e2e] reusing the node's images"; else bash $C images; fi
IMAGES_SECS=$(since "$t")
eval "$(bash $C env)"

echo - >"$LOGS/ready"
CHAOS=${E2E_CLUSTER_CHAOS:-short}
[ "$CHAOS" = only ] || WALKTHROUGH_METRICS=$LOGS/ready T0=$(date +%s.%N) bash e2e/cluster/walkthrough.sh
t=$(date +%s.%N)
case $CHAOS in 0) ;; short) T0=$t bash e2e/cluster/chaos.sh short ;; *) T0=$t bash e2e/cluster/chaos.sh ;; esac
CHAOS_SECS=$(since "$t")
sleep 5 # let the last requests finish: measure the idle cluster
MEM=$(bash $C memory)

echo
echo "== e2e:cluster passed in $(since "$T0") s"
printf '  cluster up: %s s   images: %s s   bookinfo apply → 6 pods Ready: %s s   chaos (%s): %s s\n' \
  "$UP_SECS" "$IMAGES_SECS" "$(cat "$LOGS/ready")" "$CHAOS" "$CHAOS_SECS"
echo "  memory of the running cluster (mesh + Bookinfo + the walkthrough's routing):"
sed 's/^/    /' <<<"$MEM"
