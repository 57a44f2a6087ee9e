# Dev images for Tilt: the same layout as ../../Dockerfile (/app/dist + production node_modules, same users and
# entry points) but with the bundles esbuild already built on the host (Tilt's `esbuild` resource), so editing
# a source file never rebuilds an image: Tilt syncs dist/apps/<app>/ into /app/dist and restarts node.
# Context: the repository root, limited to package files, dist/apps, tools/docker and tools/kiali-ui (see the Tiltfile).
ARG BASE_IMAGE=node:22-bookworm-slim

FROM ${BASE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --workspaces=false --ignore-scripts --no-audit --no-fund && npm cache clean --force

# The Kiali UI for APP=kiali, as the root Dockerfile's kiali-ui stage (the pinned, sha512-checked npm tarball).
FROM ${BASE_IMAGE} AS kiali-ui
ARG APP
COPY tools/kiali-ui/fetch.mjs /src/fetch.mjs
RUN mkdir -p /out && if [ "${APP}" = kiali ]; then TRELLIS_CACHE_DIR=/out node /src/fetch.mjs; fi

FROM ${BASE_IMAGE} AS app
# curl, as in Istio's Bookinfo images: the walkthrough runs `kubectl exec <ratings pod> -c ratings -- curl …`.
RUN command -v curl >/dev/null 2>&1 \
 || (apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*)
ARG APP
ARG APP_UID=1000
ENV NODE_ENV=production TRELLIS_APP=${APP} TRELLIS_NODE_FLAGS=--enable-source-maps
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --chown=${APP_UID}:${APP_UID} dist/apps/${APP}/ ./dist/
COPY --from=kiali-ui /out/ ./
ENV KIALI_UI_DIR=/app/kiali-ui-1.31.0/build
USER ${APP_UID}:${APP_UID}
ENTRYPOINT ["/bin/sh", "-c", "exec node $TRELLIS_NODE_FLAGS /app/dist/main.js \"$@\"", "trellis"]

# The proxy stage comes last: the classic builder (DOCKER_BUILDKIT=0, Docker before 23) builds every stage up to
# --target, used or not, and each image's context holds only its own dist/apps/<app> (the Tiltfile's only=), so a
# stage before `app` must not COPY another app's bundle. `--target proxy` runs the app stage with APP=proxy.
FROM ${BASE_IMAGE} AS proxy
RUN command -v iptables >/dev/null 2>&1 \
 || (apt-get update && apt-get install -y --no-install-recommends iptables && rm -rf /var/lib/apt/lists/*)
# The proxy's node flags and environment as the root Dockerfile's proxy stage (libs/mesh/local/src/proxy-runtime.ts).
ENV NODE_ENV=production TRELLIS_NODE_FLAGS=--enable-source-maps
ENV TRELLIS_PROXY_NODE_FLAGS="--v8-pool-size=1 --optimize-for-size" MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --chown=1337:1337 dist/apps/proxy/ ./dist/
COPY tools/docker/trellis-iptables.sh /usr/local/bin/trellis-iptables
COPY tools/docker/trellis-proxy-wait.js /usr/local/bin/trellis-proxy-wait
# pilot-agent request <method> <path>: the proxy admin API from inside the istio-proxy container (Istio's tasks).
COPY tools/docker/pilot-agent.js /usr/local/bin/pilot-agent
RUN chmod 0755 /usr/local/bin/trellis-iptables /usr/local/bin/trellis-proxy-wait /usr/local/bin/pilot-agent
USER 1337:1337
ENTRYPOINT ["/bin/sh", "-c", "exec node $TRELLIS_PROXY_NODE_FLAGS $TRELLIS_NODE_FLAGS /app/dist/main.js \"$@\"", "trellis-proxy"]
