#!/usr/bin/env bash
# Debian packages the single-node cluster needs at run time and for building its base images.
# Idempotent: a quick no-op when everything is present. (The Kubernetes binaries come from
# tools/kube-env/build.sh --all, which installs its own build dependencies.)
set -euo pipefail
PKGS=(docker.io containerd runc containernetworking-plugins iptables iproute2 util-linux conntrack socat
  curl openssl ca-certificates debootstrap gcc libc6-dev etcd-server docker-registry)
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
[ ${#missing[@]} = 0 ] && exit 0
echo "[cluster] installing Debian packages: ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# On a systemd host these packages may start system docker/containerd/etcd services; k8s1 does not use
# them (its own etcd and dockerd run inside the k8s1 namespace with their own paths and sockets).
