#!/usr/bin/env bash
# Stop cluster k8s1 (only the PIDs it recorded), then remove everything it left outside $K: the node's
# network namespace (with every iptables rule, bridge and veth in it), the host routes, mounts, the
# paths kubelet 1.20 hard-codes, and the kernel sysctls the kubelet changed. Keeps binaries, images, PKI.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
stop() { # timeout name... : SIGTERM the recorded PIDs together, wait, then SIGKILL what is left
  local t=$1 n p live="" i any; shift
  for n in "$@"; do
    [ -f "$K/run/$n.pid" ] || continue
    p=$(cat "$K/run/$n.pid"); rm -f "$K/run/$n.pid"
    kill -0 "$p" 2>/dev/null && kill "$p" && live="$live $p" && ts "stopping $n ($p)"
  done
  for ((i = 0; i < t * 5; i++)); do
    any=""; for p in $live; do kill -0 "$p" 2>/dev/null && any=1; done
    [ -z "$any" ] && return 0; sleep 0.2
  done
  for p in $live; do kill -0 "$p" 2>/dev/null && kill -9 "$p"; done
  return 0
}
pkill -f "$HERE/registry-proxy.mjs" 2>/dev/null
stop 10 lb-controller kube-proxy kubelet scheduler kcm apiserver etcd registry
# pod containers go while dockerd is still up (their shims and pause processes exit with them)
if [ -S "$K/run/docker.sock" ] && docker info >/dev/null 2>&1; then
  ids=$(docker ps -aq --filter name=k8s_)
  [ -z "$ids" ] || { docker rm -f $ids >/dev/null; ts "removed $(echo $ids | wc -w) containers"; }
fi
stop 30 dockerd
[ -f "$K/run/sysctl.orig" ] && while read -r s v; do echo "$v" >"/proc/sys/$s"; done <"$K/run/sysctl.orig"
grep -o " $K/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
if [ -e /run/netns/$NETNS ]; then ip netns del $NETNS && ts "deleted network namespace $NETNS"; fi
ip link del k8s1-host 2>/dev/null
# paths outside $K that kubelet 1.20 and containerd 1.6 hard-code: only this cluster's entries
for d in /var/log/pods/*/; do
  [ -d "$d" ] || continue
  l=$(find "$d" -name '*.log' -type l -printf '%l\n' 2>/dev/null | head -1)
  case "$l" in "$K"/docker/* | "") rm -rf "$d" ;; esac
done
find /var/log/containers -maxdepth 1 -xtype l -delete 2>/dev/null
rmdir /var/log/pods /var/log/containers 2>/dev/null
rm -f /var/lib/kubelet/device-plugins/kubelet.sock /var/lib/kubelet/device-plugins/DEPRECATION
rmdir /var/lib/kubelet/device-plugins /var/lib/kubelet 2>/dev/null
for c in /sys/fs/cgroup/*/docker; do rmdir "$c"/* "$c" 2>/dev/null; done
rmdir /run/containerd/s /run/containerd 2>/dev/null
rm -rf "${HOME:-/root}/.kube/cache/discovery/${NODE_IP}_6443"
rm -rf "$K/run/etcd" "$K/kubelet/root" "$K/kubelet/dockershim" "$K/cni/ipam" "$K/cni/cache" "$K/docker-exec"
ts "k8s1 down"
exit 0
