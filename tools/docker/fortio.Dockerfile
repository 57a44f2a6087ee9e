# The client of Istio's samples/httpbin/sample-client/fortio-deploy.yaml, under the image name it uses
# (docker.io/fortio/fortio:latest_release) so it applies unchanged on a cluster without a registry:
#
#   docker build --build-arg APP=fortio -t trellis/fortio-app:dev .                 # apps/fortio, the repo's Dockerfile
#   docker build -f tools/docker/fortio.Dockerfile -t docker.io/fortio/fortio:latest_release <any dir>
#
# Not upstream's Go fortio: Trellis' fortio-compatible client (apps/fortio — load, curl, and an HTTP echo
# `server`; no gRPC ping, no web UI), laid out as upstream's image: /usr/bin/fortio as the entrypoint, `server`
# by default, so `kubectl exec … -c fortio -- /usr/bin/fortio load …` works as the circuit-breaking task types it.
ARG APP_IMAGE=trellis/fortio-app:dev
FROM ${APP_IMAGE}
USER 0
RUN printf '%s\n' '#!/bin/sh' 'exec node /app/dist/main.js "$@"' >/usr/bin/fortio && chmod 0755 /usr/bin/fortio
LABEL org.opencontainers.image.title="fortio" \
      org.opencontainers.image.description="Trellis' fortio-compatible load client (apps/fortio) tagged docker.io/fortio/fortio:latest_release for Istio's fortio-deploy.yaml; not upstream's fortio" \
      trellis.upstream-tag="docker.io/fortio/fortio:latest_release"
USER 1000
EXPOSE 8080
ENTRYPOINT ["/usr/bin/fortio"]
CMD ["server"]
