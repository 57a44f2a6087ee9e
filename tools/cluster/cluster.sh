#!/usr/bin/env bash
# The single-node Kubernetes v1.20.2 cluster "k8s1" on this machine (a stand-in for kind: no image can be
# pulled here). The node is a network namespace; see tools/cluster/README.md.
#
#   cluster.sh up        packages, binaries, base images (all cached), then a fresh cluster (~15 s cached)
#   cluster.sh images    build every project image into the node's image store (cluster must be up)
#   cluster.sh down      stop everything and leave the machine as it was (keeps the caches)
#   cluster.sh status    components, node, pods
#   cluster.sh memory    memory (PSS) of every cluster process, by component and pod
#   cluster.sh env       the exports for kubectl/docker against the cluster
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
[ "$(id -u)" = 0 ] || { echo "[cluster] must run as root (network namespaces, dockerd, kubelet)" >&2; exit 1; }
case "${1:-}" in
  up)
    export T0=$(date +%s.%N)
    source "$HERE/lib.sh"
    bash "$HERE/prereqs.sh"
    bash "$REPO/tools/kube-env/build.sh" --all
    bash "$HERE/images.sh" base
    ts "binaries and base images ready"
    bash "$HERE/up.sh" ;;
  images) bash "$HERE/images.sh" project ;;
  down) bash "$HERE/down.sh" ;;
  status) bash "$HERE/status.sh" ;;
  memory) bash "$HERE/memory.sh" "${@:2}" ;;
  env) source "$HERE/lib.sh"; env_line ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
