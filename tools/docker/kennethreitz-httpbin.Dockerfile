# httpbin-v1/v2 of Istio's mirroring task (samples/httpbin/httpbin-v1-v2.yaml), under the image name that manifest uses
# (docker.io/kennethreitz/httpbin) so it applies unchanged on a cluster without a registry:
#
#   docker build -f tools/docker/kennethreitz-httpbin.Dockerfile -t docker.io/kennethreitz/httpbin <any dir>
#
# Not upstream's Python httpbin under gunicorn: go-httpbin v2.14.0 (the docker.io/mccutchen/go-httpbin:v2.15.0 image
# tools/docker/httpbin.Dockerfile builds, same API) behind a `gunicorn` that takes the manifest's command line
# (`gunicorn --access-logfile - -b 0.0.0.0:80 httpbin:app`): -b/--bind HOST:PORT (gunicorn's default 127.0.0.1:8000)
# becomes go-httpbin's -host/-port, the rest is ignored. go-httpbin logs every request itself, so `kubectl logs`
# shows `status=200 method="GET" uri="/headers"` where gunicorn's access log shows `"GET /headers HTTP/1.1" 200`.
ARG HTTPBIN_IMAGE=docker.io/mccutchen/go-httpbin:v2.15.0
FROM ${HTTPBIN_IMAGE}
USER 0
RUN printf '%s\n' '#!/bin/sh' \
      '# gunicorn command line -> go-httpbin (tools/docker/kennethreitz-httpbin.Dockerfile)' \
      'bind=127.0.0.1:8000' \
      'while [ $# -gt 0 ]; do' \
      '  case $1 in -b|--bind) shift; bind=$1 ;; --bind=*) bind=${1#--bind=} ;; esac' \
      '  shift' \
      'done' \
      'host=${bind%:*}; host=${host#[}; host=${host%]}' \
      'exec /usr/bin/go-httpbin -host "$host" -port "${bind##*:}"' >/usr/local/bin/gunicorn \
 && chmod 0755 /usr/local/bin/gunicorn
LABEL org.opencontainers.image.title="httpbin" \
      org.opencontainers.image.version="go-httpbin v2.14.0" \
      org.opencontainers.image.description="go-httpbin v2.14.0 with a gunicorn-compatible launcher, tagged docker.io/kennethreitz/httpbin for Istio's mirroring task (samples/httpbin/httpbin-v1-v2.yaml); not upstream's Python httpbin" \
      trellis.upstream-tag="docker.io/kennethreitz/httpbin"
EXPOSE 80
CMD ["gunicorn", "-b", "0.0.0.0:80", "httpbin:app"]
