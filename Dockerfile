# One Dockerfile for every Trellis image (classic builder compatible: no BuildKit-only syntax).
#
#   docker build --build-arg APP=reviews -t trellis/examples-bookinfo-reviews:dev .      # Bookinfo: productpage|details|reviews|ratings
#   docker build --build-arg APP=control-plane --build-arg APP_UID=1337 -t trellis/pilot:dev .
#   docker build --target proxy -t trellis/proxy:dev .                                    # sidecar + ingress gateway + init container
#   docker build --build-arg APP=tcp-echo -t docker.io/istio/tcp-echo-server:1.3 .         # Istio's samples/tcp-echo server
#   docker build --build-arg APP=kiali -t trellis/kiali:dev .                               # samples/addons/kiali.yaml (+ the Kiali UI)
#   docker build --build-arg APP=ratings --build-arg SERVICE_VERSION=v2 -t docker.io/istio/examples-bookinfo-ratings-v2:1.20.2 .
#                                                              # ratings v2 (bookinfo-ratings-v2-mysql.yaml sets no SERVICE_VERSION)
# Bookinfo's mysqldb (MariaDB) has its own file: tools/docker/mysqldb.Dockerfile.
#
# The context is the repository root. Every image runs `node /app/dist/main.js` (the app's esbuild
# bundle) with the production npm dependencies in /app/node_modules; Tilt and Skaffold sync a fresh
# `dist/apps/<app>/` into /app/dist/ for live updates (so /app/dist is writable by the app's user).
# BASE_IMAGE can point at a local image on clusters without a registry (see docs/kind.md). BUILD_BASE_IMAGE is
# the `native` stage's only: the non-slim node image, which carries g++, make, python3 and Node's headers.
ARG BASE_IMAGE=node:22-bookworm-slim
ARG BUILD_BASE_IMAGE=node:22-bookworm

# ── build: bundle every app (workspace libs inlined, npm packages external) ──────────────────────
FROM ${BASE_IMAGE} AS build
WORKDIR /src
# Root dependencies only (esbuild among them): workspace libs resolve through tsconfig paths, so
# this layer is reused until package.json or the lockfile change.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --workspaces=false --ignore-scripts --no-audit --no-fund
COPY . .
RUN node tools/build/build.mjs --quiet \
 && node_modules/.bin/esbuild tools/docker/trellis-iptables.ts --bundle --platform=node --target=node20 --format=cjs \
      --packages=external --tsconfig=tsconfig.base.json --log-level=warning --outfile=dist/apps/proxy/trellis-iptables.js

# ── runtime dependencies: production npm packages only ────────────────────────────────────────────
FROM ${BASE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --workspaces=false --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ── native: the proxy's SO_ORIGINAL_DST addon (libs/mesh/proxy/native/original-dst, C + N-API) ────
# The C toolchain lives in this stage only: node:22-bookworm (not -slim) has g++, make, python3 and
# /usr/local/include/node, so nothing is installed. On another BUILD_BASE_IMAGE without them apt installs
# the toolchain; where apt cannot reach a mirror (or there are no Node headers) the addon is not built and
# the proxy image runs without it: the proxy logs `original destination reader chosen` with `unavailable`
# and routes captured traffic by Host. The runtime stages stay on the slim BASE_IMAGE.
FROM ${BUILD_BASE_IMAGE} AS native
RUN (command -v g++ && command -v make && command -v python3) >/dev/null 2>&1 \
 || (apt-get update && apt-get install -y --no-install-recommends build-essential python3 && rm -rf /var/lib/apt/lists/*) \
 || echo "no C toolchain (apt-get failed): the proxy image will not have original_dst.node"
WORKDIR /src
# node-gyp (a pinned devDependency) comes with the build stage's node_modules.
COPY --from=build /src/node_modules ./node_modules
COPY package.json ./
COPY libs/mesh/proxy/native/original-dst/ ./libs/mesh/proxy/native/original-dst/
RUN mkdir -p out && node libs/mesh/proxy/native/original-dst/build.mjs --out out/original_dst.node

# ── kiali-ui: the prebuilt Kiali UI (@kiali/kiali-ui, Apache-2.0) the kiali image serves ────────
# tools/kiali-ui/fetch.mjs `npm pack`s the pinned version through the same npm registry as `npm ci` (in the
# single-node cluster: tools/cluster/registry-proxy.mjs), checks its sha512 and keeps build/ and LICENSE. Only for
# APP=kiali: every other app gets an empty directory (the ARG keys this stage's cache per APP).
FROM ${BASE_IMAGE} AS kiali-ui
ARG APP
COPY tools/kiali-ui/fetch.mjs /src/fetch.mjs
RUN mkdir -p /out && if [ "${APP}" = kiali ]; then TRELLIS_CACHE_DIR=/out node /src/fetch.mjs; fi

# ── proxy: sidecar (istio-proxy), ingress gateway and the trellis-init capture container ─────────
FROM ${BASE_IMAGE} AS proxy
# iptables for the init container (istio-iptables equivalent); skipped when the base already has it.
RUN command -v iptables >/dev/null 2>&1 \
 || (apt-get update && apt-get install -y --no-install-recommends iptables && rm -rf /var/lib/apt/lists/*)
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build --chown=1337:1337 /src/dist/apps/proxy/ ./dist/
# original_dst.node next to the bundle (unsafe/original-dst.ts looks for it there); absent when not built.
COPY --from=native --chown=1337:1337 /src/out/ ./dist/
COPY tools/docker/trellis-iptables.sh /usr/local/bin/trellis-iptables
COPY tools/docker/trellis-proxy-wait.js /usr/local/bin/trellis-proxy-wait
# pilot-agent request <method> <path>: the proxy admin API from inside the istio-proxy container (Istio's tasks).
COPY tools/docker/pilot-agent.js /usr/local/bin/pilot-agent
RUN chmod 0755 /usr/local/bin/trellis-iptables /usr/local/bin/trellis-proxy-wait /usr/local/bin/pilot-agent \
 && groupadd --system --gid 1337 istio-proxy \
 && useradd --system --uid 1337 --gid 1337 --no-create-home --shell /usr/sbin/nologin istio-proxy
# Istio's proxy uid: the capture rules exempt uid/gid 1337. The init container overrides this with runAsUser 0.
USER 1337:1337
EXPOSE 15000 15001 15006 15021 15090
# The proxy's node flags and environment, its memory knobs like Envoy's (issue #18: ≤ 60 MB RSS), are
# libs/mesh/local/src/proxy-runtime.ts, which local mode and bench:proxy run with; proxy-runtime.test.ts holds
# these lines equal to it. Each knob's measured effect: docs/observability.md. No --enable-source-maps (the
# maps cost a sidecar ~6 MB of RSS; stack traces name bundle lines). NODE_FLAGS adds flags (skaffold's dev
# profile: --enable-source-maps --watch, node restarts when a synced bundle changes).
ARG NODE_FLAGS=
ENV TRELLIS_PROXY_NODE_FLAGS="--v8-pool-size=1 --optimize-for-size" MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072
ENV TRELLIS_NODE_FLAGS=${NODE_FLAGS}
# The injector appends `args: [--mode, sidecar]`; the gateway Deployment passes `--mode router` ("$@").
ENTRYPOINT ["/bin/sh", "-c", "exec node $TRELLIS_PROXY_NODE_FLAGS $TRELLIS_NODE_FLAGS /app/dist/main.js \"$@\"", "trellis-proxy"]

# ── app (default target): Bookinfo services, control plane, CLI ──────────────────────────────────
FROM ${BASE_IMAGE} AS app
# curl, as in Istio's Bookinfo images: the walkthrough runs `kubectl exec <ratings pod> -c ratings -- curl …`.
RUN command -v curl >/dev/null 2>&1 \
 || (apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*)
ARG APP
# Bookinfo runs as 1000 (the base image's `node` user); the control plane may use 1337 like istiod.
ARG APP_UID=1000
RUN test -n "${APP}" || (echo "set --build-arg APP=<productpage|details|reviews|ratings|control-plane|cli|tcp-echo|kiali|trace-store>" >&2 && exit 1)
# SERVICE_VERSION: the default the app reads when the manifest sets none, as Istio's ratings/reviews images bake
# service_version (examples-bookinfo-ratings-v2 is the ratings app built with v2).
ARG SERVICE_VERSION=v1
ENV NODE_ENV=production TRELLIS_APP=${APP} SERVICE_VERSION=${SERVICE_VERSION}
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build --chown=${APP_UID}:${APP_UID} /src/dist/apps/${APP}/ ./dist/
# apps/prometheus-sd rides along (~100 kB): samples/addons/prometheus.yaml runs it from the control-plane image as
# `node /app/prometheus-sd/main.js` (Kubernetes discovery for Debian's prometheus, which is built without it).
COPY --from=build /src/dist/apps/prometheus-sd/ ./prometheus-sd/
# APP=kiali: the UI build and its LICENSE in /app/kiali-ui-1.31.0/ (empty for the other apps); apps/kiali reads
# KIALI_UI_DIR (set for every app, read by apps/kiali only).
COPY --from=kiali-ui /out/ ./
ENV KIALI_UI_DIR=/app/kiali-ui-1.31.0/build
USER ${APP_UID}:${APP_UID}
ARG NODE_FLAGS=--enable-source-maps
ENV TRELLIS_NODE_FLAGS=${NODE_FLAGS}
EXPOSE 9080
ENTRYPOINT ["/bin/sh", "-c", "exec node $TRELLIS_NODE_FLAGS /app/dist/main.js \"$@\"", "trellis"]
