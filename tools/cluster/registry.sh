#!/usr/bin/env bash
# The node's local image registry, as kind's "local registry" setup (https://kind.sigs.k8s.io/docs/user/local-registry/):
# Debian's docker-registry (distribution 2.8) inside the node's network namespace on :5000 — `localhost:5000` for
# the node's dockerd, which is both where `docker build`/`docker push` run (DOCKER_HOST) and the kubelet's runtime;
# 172.31.255.2:5000 from the host — plus the KEP-1755 ConfigMap kube-public/local-registry-hosting that Tilt and
# Skaffold read to push there instead of `kind load`. dockerd trusts localhost registries over plain HTTP.
# Storage ($K/registry) survives `down`, like the node's image store. up.sh runs `registry.sh start` once the API
# server is ready; down.sh stops the PID it recorded.
#
#   registry.sh start    start the registry (if not running) and apply the ConfigMap
#   registry.sh catalog  the repositories it holds (GET /v2/_catalog)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PORT=5000
URL=http://$NODE_IP:$PORT

config() {
  mkdir -p "$K/registry/data"
  cat >"$K/registry/config.yml" <<CFG
version: 0.1
log: {level: warn, accesslog: {disabled: true}, fields: {service: registry}}
storage:
  filesystem: {rootdirectory: $K/registry/data}
  delete: {enabled: true}
http: {addr: ":$PORT", secret: $(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}
CFG
}

start() {
  command -v docker-registry >/dev/null || die "docker-registry missing: apt-get install docker-registry (prereqs.sh)"
  if ! pid_alive registry; then
    config
    $NS docker-registry serve "$K/registry/config.yml" >>"$K/log/registry.log" 2>&1 &
    echo $! >"$K/run/registry.pid"
    waitfor 20 curl -fsS "$URL/v2/" || die "the registry did not start; see $K/log/registry.log"
  fi
  waitfor 30 kubectl get namespace kube-public || die "namespace kube-public not created"
  kubectl apply -f - >/dev/null <<CM
apiVersion: v1
kind: ConfigMap
metadata:
  name: local-registry-hosting
  namespace: kube-public
data:
  localRegistryHosting.v1: |
    host: "localhost:$PORT"
    hostFromContainerRuntime: "localhost:$PORT"
    help: "https://kind.sigs.k8s.io/docs/user/local-registry/"
CM
  ts "local registry localhost:$PORT in the node ($URL from the host); ConfigMap kube-public/local-registry-hosting"
}

case "${1:-}" in
  start) start ;;
  catalog) curl -fsS "$URL/v2/_catalog" ;;
  *) sed -n '2,11p' "$0" >&2; exit 2 ;;
esac
