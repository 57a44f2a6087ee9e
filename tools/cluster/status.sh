#!/usr/bin/env bash
# What runs of cluster k8s1: one line per component, then the node and the pods. Exit 0 when all run.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
if ! running; then echo "k8s1: not running (tools/cluster/cluster.sh up)"; exit 3; fi
ok=0
printf '%-13s %-8s %s\n' COMPONENT PID STATUS
for n in dockerd etcd apiserver kcm scheduler kubelet kube-proxy lb-controller; do
  p=$(cat "$K/run/$n.pid" 2>/dev/null || echo -)
  if pid_alive $n; then s=running; else s=STOPPED; ok=1; fi
  printf '%-13s %-8s %s\n' "$n" "$p" "$s"
done
echo
kubectl get nodes -o wide 2>&1 | cut -c1-120
echo
kubectl get pods -A 2>&1
echo
env_line
exit $ok
