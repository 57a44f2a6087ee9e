#!/usr/bin/env bash
# Memory of cluster k8s1: every process in the node's network namespace or in a pod's (that is, every
# process not in this shell's), as PSS from /proc/PID/smaps_rollup (shared pages split between sharers, so
# the total is what the cluster really costs). Pod processes are named <pod>/<container>.
#   memory.sh          a table by process, the subtotals by group, then the total
#   memory.sh --total  only the total, in MiB
set -uo pipefail
source "$(dirname "$0")/lib.sh"
running || die "k8s1 is not running"
host_ns=$(readlink /proc/self/ns/net)
declare -A names # docker container id (64 hex) -> pod/container
while read -r id pod ctr; do names[$id]="$pod/$ctr"; done < <(
  docker ps -q --no-trunc | xargs -r docker inspect --format \
    '{{.Id}} {{index .Config.Labels "io.kubernetes.pod.name"}} {{index .Config.Labels "io.kubernetes.container.name"}}' 2>/dev/null)
declare -A kb group_kb
total=0
group_of() {
  case $1 in
    kube-* | kubelet | etcd) echo Kubernetes ;;
    dockerd | containerd* | pause | runc*) echo 'container runtime' ;;
    */istio-proxy | istiod-*) echo 'mesh (istiod + proxies)' ;;
    productpage-* | details-* | reviews-* | ratings-*) echo 'Bookinfo apps' ;;
    *) echo other ;;
  esac
}
for p in /proc/[0-9]*; do
  pid=${p#/proc/}
  ns=$(readlink "$p/ns/net" 2>/dev/null) || continue
  [ "$ns" = "$host_ns" ] && continue
  pss=$(awk '/^Pss:/ {print $2}' "$p/smaps_rollup" 2>/dev/null) || continue
  [ -n "$pss" ] || continue
  name=$(cat "$p/comm" 2>/dev/null)
  id=$(grep -oE '[0-9a-f]{64}' "$p/cgroup" 2>/dev/null | head -1)
  if [ -n "$id" ] && [ -n "${names[$id]:-}" ]; then
    name=${names[$id]}
    [ "${name##*/}" = POD ] && name=pause
  fi
  kb[$name]=$((${kb[$name]:-0} + pss))
  g=$(group_of "$name")
  group_kb[$g]=$((${group_kb[$g]:-0} + pss))
  total=$((total + pss))
done
if [ "${1:-}" = --total ]; then echo $((total / 1024)); exit 0; fi
printf '%-56s %8s\n' PROCESS 'PSS MiB'
table() { sort -t$'\t' -k1,1rn | awk -F'\t' '{printf "%-56s %8.1f\n", $2, $1 / 1024}'; }
for n in "${!kb[@]}"; do printf '%s\t%s\n' "${kb[$n]}" "$n"; done | table
echo
for g in "${!group_kb[@]}"; do printf '%s\t%s\n' "${group_kb[$g]}" "$g"; done | table
printf '%-56s %8.1f\n' TOTAL "$(awk -v k="$total" 'BEGIN{print k/1024}')"
