# httpbin for Istio's samples/httpbin/httpbin.yaml, under the image name that manifest uses
# (docker.io/mccutchen/go-httpbin:v2.15.0) so it applies unchanged on a cluster without a registry:
#
#   bash tools/samples/build-httpbin.sh          # go-httpbin v2.14.0 from the offline source snapshot, Debian's Go 1.19
#   ctx=$(mktemp -d) && cp "$(bash tools/samples/build-httpbin.sh --print-path)" "$ctx/"
#   docker build -f tools/docker/httpbin.Dockerfile -t docker.io/mccutchen/go-httpbin:v2.15.0 "$ctx"
#
# The code is go-httpbin **v2.14.0** (the snapshot we have), not v2.15.0: the labels say so. The binary is static
# (CGO_ENABLED=0). Laid out as upstream's image (/bin/go-httpbin, port 8080, runs as root like distroless/base),
# on the slim Debian base every other image here uses, instead of distroless (classic builder compatible).
ARG BASE_IMAGE=node:22-bookworm-slim
FROM ${BASE_IMAGE}
COPY go-httpbin /usr/bin/go-httpbin
LABEL org.opencontainers.image.title="go-httpbin" \
      org.opencontainers.image.version="v2.14.0" \
      org.opencontainers.image.source="https://github.com/mccutchen/go-httpbin" \
      org.opencontainers.image.description="go-httpbin v2.14.0 (built from source with Go 1.19) tagged docker.io/mccutchen/go-httpbin:v2.15.0 for Istio's samples/httpbin; not upstream's v2.15.0 image" \
      trellis.upstream-tag="docker.io/mccutchen/go-httpbin:v2.15.0"
USER 0
EXPOSE 8080
CMD ["/bin/go-httpbin"]
