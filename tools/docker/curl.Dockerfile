# The client of Istio's samples/sleep/sleep.yaml and samples/curl/curl.yaml, under the image names they use
# (curlimages/curl:8.16.0, and curlimages/curl = :latest) so they apply unchanged on a cluster without a registry:
#
#   docker build -f tools/docker/curl.Dockerfile -t curlimages/curl:8.16.0 -t curlimages/curl:latest <any empty dir>
#
# Not upstream's Alpine image with curl 8.16.0: Debian bookworm's curl (7.88.x) on the slim Debian base the other
# images use — the labels say so. As upstream: user curl_user (uid 100, group curl_group 101), /entrypoint.sh runs
# curl when the first argument is an option or not a command, CMD ["curl"]; the samples run `/bin/sleep infinity`.
ARG BASE_IMAGE=node:22-bookworm-slim
FROM ${BASE_IMAGE}
# Skipped when the base already has curl (tools/cluster's base does: no apt mirror in the cluster).
RUN command -v curl >/dev/null 2>&1 \
 || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl ca-certificates \
     && rm -rf /var/lib/apt/lists/*)
RUN groupadd --system --gid 101 curl_group \
 && useradd --system --uid 100 --gid curl_group --create-home --home-dir /home/curl_user --shell /bin/sh curl_user \
 && printf '%s\n' '#!/bin/sh' 'set -e' 'if [ "${1#-}" != "$1" ] || [ -z "$(command -v "$1")" ]; then set -- curl "$@"; fi' 'exec "$@"' \
      >/entrypoint.sh && chmod 0755 /entrypoint.sh
LABEL org.opencontainers.image.title="curl" \
      org.opencontainers.image.description="Debian bookworm's curl on the slim Debian base, tagged curlimages/curl:8.16.0 for Istio's samples/sleep and samples/curl; not upstream's curl 8.16.0 image" \
      org.opencontainers.image.source="https://packages.debian.org/bookworm/curl" \
      trellis.upstream-tag="curlimages/curl:8.16.0"
USER 100
WORKDIR /home/curl_user
ENTRYPOINT ["/entrypoint.sh"]
CMD ["curl"]
