# The rate limit service of Istio's samples/ratelimit/rate-limit-service.yaml, under the image name it uses
# (docker.io/envoyproxy/ratelimit:30a4ce1a) so the manifest applies unchanged on a cluster without a registry:
#
#   docker build --build-arg APP=ratelimit -t trellis/ratelimit-app:dev .            # apps/ratelimit, the repo's Dockerfile
#   docker build -f tools/docker/ratelimit.Dockerfile -t docker.io/envoyproxy/ratelimit:30a4ce1a <any dir>
#
# Not upstream's Go service: apps/ratelimit (RLS gRPC 8081, HTTP 8080, debug 6070, Redis fixed windows, the
# same ConfigMap format and environment), laid out as upstream's image: the manifest's `command: ["/bin/ratelimit"]`.
ARG APP_IMAGE=trellis/ratelimit-app:dev
FROM ${APP_IMAGE}
USER 0
RUN printf '%s\n' '#!/bin/sh' 'exec node /app/dist/main.js "$@"' >/bin/ratelimit && chmod 0755 /bin/ratelimit
LABEL org.opencontainers.image.title="ratelimit" \
      org.opencontainers.image.description="Trellis' rate limit service (apps/ratelimit) tagged docker.io/envoyproxy/ratelimit:30a4ce1a for Istio's samples/ratelimit; not upstream's envoyproxy/ratelimit" \
      trellis.upstream-tag="docker.io/envoyproxy/ratelimit:30a4ce1a"
USER 1000
EXPOSE 8080 8081 6070
ENTRYPOINT ["/bin/ratelimit"]
